using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace GroundTruth.Core.Data;

/// <summary>
/// Prepares every connection EF opens: a busy timeout so that concurrent writers wait their turn instead of failing
/// (the connection string's <c>Default Timeout</c>, 30 s unless set; past it the write fails as busy, a 503),
/// a 16 MB page cache so that a bulk transaction does not spill to the WAL page by page,
/// NORMAL synchronous (durable in WAL mode), foreign keys, and <c>gt_regexp(pattern, text)</c> for the regex filter,
/// with a match timeout so that a hostile pattern cannot hang a query.
/// </summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;";

    /// <summary>SQLite's own wait matches Microsoft.Data.Sqlite's retry budget, so one setting decides how long a writer waits.</summary>
    private static string Setup(DbConnection connection) =>
        $"PRAGMA busy_timeout = {(connection is SqliteConnection sqlite ? sqlite.DefaultTimeout : 30) * 1000}; {Pragmas}";
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

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
            sqlite.CreateFunction<string?, string?, bool?>("gt_regexp", RegexMatch, isDeterministic: true);
        }
    }

    private static bool? RegexMatch(string? pattern, string? input)
    {
        if (pattern is null || input is null)
        {
            return null;
        }
        if (Patterns.Count > 1000)
        {
            Patterns.Clear();
        }
        var regex = Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200)));
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
