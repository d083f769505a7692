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

    private AppNode(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

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
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "GroundTruth.Web.dll"), "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["GroundTruth__Database__Provider"] = TestStore.Provider.ToString();
        start.Environment["ConnectionStrings__GroundTruth"] = store.ConnectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["GroundTruth__SeedDemoData"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return new AppNode(Process.Start(start)!);
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
