using System.Diagnostics;

namespace GroundTruth.Tests.Support;

/// <summary>
/// A small tmpfs of its own: a disk that really fills up, and that can be made really read-only. Mounting needs root,
/// which CI and these sessions have; see <see cref="NeedsRootFactAttribute"/>.
/// </summary>
public sealed class TinyDisk : IDisposable
{
    public TinyDisk(int megabytes)
    {
        Folder = Path.Combine(Path.GetTempPath(), "groundtruth-disk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", Folder);
    }

    public string Folder { get; }

    public void MakeReadOnly() => Run("mount", "-o", "remount,ro", Folder);

    public void Dispose()
    {
        Run("umount", "-l", Folder);
        Directory.Delete(Folder);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
    }
}

/// <summary>
/// A test that puts a SQLite file on a <see cref="TinyDisk"/>: skipped, saying why, when not run as root or in the
/// PostgreSQL run (whose disk belongs to its server).
/// </summary>
public sealed class NeedsRootFactAttribute : FactAttribute
{
    public NeedsRootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "Mounts a small tmpfs to fill it or make it read-only, which needs root (CI runs as root).";
        }
        else if (TestStore.IsPostgres)
        {
            Skip = "Sqlite only: fills or freezes the disk under the SQLite file; PostgreSQL's disk belongs to its server.";
        }
    }
}
