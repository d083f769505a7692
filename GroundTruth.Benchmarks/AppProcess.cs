using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GroundTruth.Benchmarks;

/// <summary>The web app in Release as its own process on a free port of 127.0.0.1, on a given database.</summary>
internal static partial class AppProcess
{
    /// <summary>The app on a SQLite file.</summary>
    public static Process Start(string database, IReadOnlyDictionary<string, string> settings, out string baseUrl) =>
        Start("Sqlite", $"Data Source={Path.GetFullPath(database)}", settings, out baseUrl);

    /// <summary>The app on either provider's database.</summary>
    public static Process Start(string provider, string connectionString, IReadOnlyDictionary<string, string> settings, out string baseUrl)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "GroundTruth.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("GroundTruth.sln not found above the benchmark.");
        }
        var start = new ProcessStartInfo("dotnet", ["run", "-c", "Release", "--no-launch-profile", "--project", Path.Combine(root, "GroundTruth.Web")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["GroundTruth__Database__Provider"] = provider;
        start.Environment["ConnectionStrings__GroundTruth"] = connectionString;
        start.Environment["GroundTruth__SeedDemoData"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.ErrorDataReceived += (_, e) => { };
        process.BeginErrorReadLine();
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var match = Listening().Match(line);
            if (match.Success)
            {
                baseUrl = match.Groups[1].Value;
                // Keep draining the log so the app never blocks on a full pipe.
                _ = Task.Run(async () =>
                {
                    while (await process.StandardOutput.ReadLineAsync() is not null)
                    {
                    }
                });
                return process;
            }
        }
        throw new InvalidOperationException("The app exited before listening.");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
