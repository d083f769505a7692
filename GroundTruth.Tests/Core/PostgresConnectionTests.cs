using GroundTruth.Core.Data.Postgres;
using Npgsql;

namespace GroundTruth.Tests.Core;

/// <summary>The settings every PostgreSQL connection of the app gets, unless its connection string says otherwise.</summary>
public sealed class PostgresConnectionTests
{
    private static string? OptionsOf(string connectionString) => new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned(connectionString)).Options;

    [Fact]
    public void Writes_wait_30_s_for_a_lock_statements_are_not_jit_compiled_and_repeated_ones_are_prepared()
    {
        var options = OptionsOf("Host=db;Username=app");
        Assert.Contains("-c lock_timeout=30000", options, StringComparison.Ordinal);
        Assert.Contains("-c jit=off", options, StringComparison.Ordinal);
        var tuned = new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned("Host=db"));
        Assert.Equal(0, tuned.CommandTimeout);
        Assert.Equal(64, tuned.MaxAutoPrepare);
    }

    [Fact]
    public void The_connection_string_s_own_settings_win()
    {
        var options = OptionsOf("Host=db;Options=-c jit=on -c lock_timeout=1000");
        Assert.Equal("-c jit=on -c lock_timeout=1000", options);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned("Host=db;Max Auto Prepare=0")).MaxAutoPrepare);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned("Host=db;MaxAutoPrepare=0")).MaxAutoPrepare);
        Assert.Equal(5, new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned("Host=db;Command Timeout=5")).CommandTimeout);
    }

    [Fact]
    public void Setting_only_how_often_a_statement_runs_before_it_is_prepared_keeps_preparation_on()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresDialect.Tuned("Host=db;Auto Prepare Min Usages=2"));
        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
    }
}
