using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GroundTruth.Core.Data.Sqlite;

/// <summary>
/// Prepares every connection EF opens: a busy timeout so that concurrent writers wait their turn instead of failing
/// (the connection string's <c>Default Timeout</c>, 30 s unless set; past it the write fails as busy, a 503),
/// a 16 MB page cache so that a bulk transaction does not spill to the WAL page by page,
/// NORMAL synchronous (durable in WAL mode), foreign keys, and <c>gt_regexp(pattern, text)</c> for the regex filter
/// (<see cref="Tasks.RegexFilter"/>: linear time, and a match over budget fails the query instead of counting as no match).
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;";

    /// <summary>SQLite's own wait matches Microsoft.Data.Sqlite's retry budget, so one setting decides how long a writer waits.</summary>
    private static string Setup(DbConnection connection) =>
        $"PRAGMA busy_timeout = {(connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30) * 1000}; {Pragmas}";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        AddFunctions(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Setup(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AddFunctions(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Setup(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddFunctions(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction<string?, string?, bool?>("gt_regexp", Tasks.RegexFilter.IsMatch, isDeterministic: true);
        }
    }
}
