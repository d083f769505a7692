using System.Text;
using Microsoft.Data.Sqlite;

namespace GroundTruth.Tests.Support;

/// <summary>Every row of every table, as text: a refused write must leave it identical.</summary>
public static class DatabaseSnapshot
{
    /// <summary>Tables that change on reads, not on the writes under test: a token's last use.</summary>
    private static readonly HashSet<string> Volatile = ["api_tokens", "__EFMigrationsHistory"];

    /// <summary>
    /// What a table is read as: every column, but for accounts not the ones a wrong password moves (the failed-sign-in
    /// count, the lockout, and the concurrency stamp Identity renews with them).
    /// A project's totals are read as their sums: on PostgreSQL reading them may fold their rows into one.
    /// </summary>
    private static string Select(string table) => table switch
    {
        "users" => "SELECT id, display_name, user_name, email, email_confirmed, password_hash, security_stamp, lockout_enabled FROM users ORDER BY 1",
        "project_totals" => "SELECT project_id, SUM(tasks), SUM(ground_truths), SUM(annotated_tasks), SUM(annotations), SUM(cancelled_annotations), SUM(predictions) " +
            "FROM project_totals GROUP BY project_id ORDER BY 1",
        _ => $"SELECT * FROM \"{table}\" ORDER BY 1",
    };

    /// <summary>A SQLite file's rows.</summary>
    public static async Task<string> TakeAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        return await TakeAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    }

    /// <summary>A test store's rows, on either provider.</summary>
    public static async Task<string> TakeAsync(TestStore store)
    {
        await using var connection = await store.OpenAsync();
        return await TakeAsync(connection, TestStore.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    }

    private static async Task<string> TakeAsync(System.Data.Common.DbConnection connection, string listTables)
    {
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = listTables;
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var sb = new StringBuilder();
        foreach (var table in tables.Where(t => !Volatile.Contains(t)))
        {
            sb.Append("# ").AppendLine(table);
            await using var command = connection.CreateCommand();
            command.CommandText = Select(table);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    sb.Append(reader.GetValue(i)).Append('|');
                }
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }
}
