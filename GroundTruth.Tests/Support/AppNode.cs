using System.Diagnostics;
using System.Text;
using GroundTruth.Core.Data;

namespace GroundTruth.Tests.Support;

/// <summary>
/// The app as a process of its own on a test store — an app node that a test can kill with SIGKILL (no shutdown, no
/// lease released) and start again, as an operator or a crash would.
/// </summary>
public sealed class AppNode : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppNode(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Where the node listens, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>What the node printed so far, for a failing assertion's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="settings">More configuration, as environment variables (<c>GroundTruth__Jobs__ChunkSize</c>).</param>
    public static AppNode Start(TestStore store, IReadOnlyDictionary<string, string>? settings = null)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = StartInfo(TestStore.Provider, store.ConnectionString, baseUrl, settings);
        return new AppNode(Process.Start(start)!, baseUrl);
    }

    /// <summary>
    /// How the app is started as a process of its own: in Production, without the demo, on the given database, with
    /// <paramref name="settings"/> (environment variables) on top.
    /// </summary>
    public static ProcessStartInfo StartInfo(DatabaseProvider provider, string connectionString, string url, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GroundTruth.Web.dll"), "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["GroundTruth__Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__GroundTruth"] = connectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["GroundTruth__SeedDemoData"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return start;
    }

    /// <summary>
    /// Starts the app on a database it is expected to refuse and waits, at most a minute, for it to exit: its exit code and
    /// what it printed. A node that keeps running is killed and the test fails with <paramref name="stillRunning"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunUntilExitAsync(DatabaseProvider provider, string connectionString,
        string stillRunning, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var process = Process.Start(StartInfo(provider, connectionString, "http://127.0.0.1:0", settings))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(stillRunning);
        }
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Waits until <c>/health</c> answers 200 (the database migrated and answering), at most a minute.</summary>
    public async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(BaseUrl + "/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"The node at {BaseUrl} did not become healthy (exited: {_process.HasExited}).\n{Output}");
    }

    // Asking the kernel for a free port and letting it go: the node takes it a moment later.
    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: the process ends between two instructions, whatever it was doing.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
