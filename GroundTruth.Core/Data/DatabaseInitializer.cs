using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>Creates the database file (owner-only) and its folder, applies the migrations and switches the file to WAL mode.</summary>
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
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
    }
}
