using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data.Sqlite;

/// <summary>The model on SQLite, with the migrations in <c>Data/Sqlite/Migrations</c>.</summary>
public sealed class SqliteGroundTruthDbContext(DbContextOptions<SqliteGroundTruthDbContext> options) : GroundTruthDbContext(options)
{
    public override SqlDialect Dialect => SqliteDialect.Instance;
}
