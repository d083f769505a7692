using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data.Postgres;

/// <summary>The model on PostgreSQL, with the migrations in <c>Data/Postgres/Migrations</c>.</summary>
public sealed class PostgresGroundTruthDbContext(DbContextOptions<PostgresGroundTruthDbContext> options) : GroundTruthDbContext(options)
{
    public override SqlDialect Dialect => PostgresDialect.Instance;
}
