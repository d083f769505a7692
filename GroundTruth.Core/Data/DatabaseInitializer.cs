using GroundTruth.Core.Scoring;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>
/// Creates the database file (owner-only) and its folder, applies the migrations, switches the file to WAL mode, and
/// scores any task that has no score sheet yet (tasks from before the sheets existed).
/// </summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IDbContextFactory<GroundTruthDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode != SqliteOpenMode.Memory && !builder.DataSource.Contains(":memory:", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(builder.DataSource);
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
            if (!File.Exists(path) && !OperatingSystem.IsWindows())
            {
                // Owner-only from the first byte: the file holds password hashes. SQLite gives -wal and -shm the same mode.
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
        }
        await CheckStorageAsync(db, ct);
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        await ScoreUnscoredTasksAsync(db, ct);
    }

    /// <summary>
    /// Reads the schema and takes the write lock once on a plain connection, so that a file that is read-only, not a
    /// database or in a folder the app cannot write fails here, with SQLite's own error, before EF runs and logs a
    /// failed command; <see cref="StorageFaults.Describe"/> turns it into the one line start-up prints.
    /// </summary>
    private static async Task CheckStorageAsync(GroundTruthDbContext db, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var probe = connection.CreateCommand();
        probe.CommandText = "PRAGMA schema_version; BEGIN IMMEDIATE; ROLLBACK;";
        await probe.ExecuteNonQueryAsync(ct);
    }

    private static async Task ScoreUnscoredTasksAsync(GroundTruthDbContext db, CancellationToken ct)
    {
        var unscored = await db.Tasks.Where(t => !db.ScoreSheets.Any(s => s.TaskId == t.Id))
            .Select(t => new { t.ProjectId, t.Id }).OrderBy(t => t.Id).ToListAsync(ct);
        foreach (var project in unscored.GroupBy(t => t.ProjectId))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await ScoreKeeper.RecomputeAsync(db, await ScoreKeeper.SettingsAsync(db, project.Key, ct), project.Select(t => t.Id).ToList(), ct);
            await tx.CommitAsync(ct);
        }
    }
}
