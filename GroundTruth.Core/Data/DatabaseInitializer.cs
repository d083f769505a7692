using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>Creates the database file's folder, applies the migrations and switches the file to WAL mode.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IDbContextFactory<GroundTruthDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode != SqliteOpenMode.Memory && !builder.DataSource.Contains(":memory:", StringComparison.Ordinal))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
    }
}
