using Npgsql;

namespace GroundTruth.Benchmarks;

/// <summary>The benchmarks' PostgreSQL databases, made afresh beside the one the run was given.</summary>
internal static class PostgresDatabase
{
    /// <summary>Drops and creates <paramref name="name"/> on <paramref name="server"/>'s server; its connection string.</summary>
    public static async Task<string> RecreateAsync(string server, string name)
    {
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        // The drop ended the connections an earlier run's pool still holds: none may be handed out again.
        NpgsqlConnection.ClearAllPools();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}
