using GroundTruth.Core.Data.Postgres;
using GroundTruth.Core.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace GroundTruth.Core.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build each provider's model without starting the web app:
/// <c>--context SqliteGroundTruthDbContext --output-dir Data/Sqlite/Migrations</c> or
/// <c>--context PostgresGroundTruthDbContext --output-dir Data/Postgres/Migrations</c>.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGroundTruthDbContext>
{
    public SqliteGroundTruthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGroundTruthDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGroundTruthDbContext>
{
    public PostgresGroundTruthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGroundTruthDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
