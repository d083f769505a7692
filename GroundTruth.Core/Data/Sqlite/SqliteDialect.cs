using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace GroundTruth.Core.Data.Sqlite;

/// <summary>SQLite's side of <see cref="SqlDialect"/>: JSON text read with json_each and json_extract, one writer at a time.</summary>
public sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string Describe(string connectionString) => Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);

    public override string DeferTaskKeys => "PRAGMA defer_foreign_keys = ON";

    public override string? FoldProjectTotals => null;

    // SQLite keeps statistics only once ANALYZE has run; without them it takes an index for every lookup by key, as wanted.
    public override string? AnalyzeTaskTables => null;

    public override string IsTrue(string column) => $"{column} = 1";

    public override string? JsonColumnType => null;

    public override string IdList(string parameter) => $"SELECT value FROM json_each({parameter})";

    public override object Ids(IEnumerable<long> ids) => JsonSerializer.Serialize(ids);

    public override string JsonArray(string column, string key, string alias) => $"json_each({column}, '$.{key}') {alias}";

    public override string Item(string alias, int index, bool integer) => $"({alias}.value ->> {index})";

    /// <summary>The bytes arrive as a blob, which the JSON functions would read as SQLite's binary JSON: the CAST reads them as text.</summary>
    public override string JsonRows(string parameter, string alias) => $"json_each(CAST({parameter} AS TEXT)) {alias}";

    /// <summary>Microsoft.Data.Sqlite binds a blob from an array only.</summary>
    public override object JsonRowsValue(ReadOnlyMemory<byte> utf8) => utf8.ToArray();

    /// <summary>
    /// One JSON array of [id, document] rows, as <see cref="JsonRows"/> (SQLite has no arrays to bind); a document reads
    /// as its text as written (SQLite keeps the spelling of its numbers and strings).
    /// </summary>
    public override string Documents(string parameter, string alias) =>
        $"(SELECT CAST(value ->> 0 AS INTEGER) AS id, value ->> 1 AS document FROM json_each(CAST({parameter} AS TEXT))) AS {alias}";

    public override string[] DocumentParameters(string parameter) => [parameter];

    public override void SetDocuments(DbCommand command, string parameter, IReadOnlyList<long> ids, IReadOnlyList<byte[]> documents)
    {
        using var rows = PooledJson.Rows(ids.Count, (json, i) =>
        {
            json.WriteNumberValue(ids[i]);
            json.WriteRawValue(documents[i], skipInputValidation: true);
        });
        command.Set(parameter, JsonRowsValue(rows.Written));
    }

    public override string JsonNumber(string column, string member, string keyExpression) => $"json_extract({column}, '$.{member}.\"' || {keyExpression} || '\"')";

    /// <summary>A JSON path for one top-level key, quoted so that dots and spaces in the key are literal.</summary>
    public override object DataKey(string key) => "$.\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public override string DataValue(string keyParameter, bool text) => $"json_extract(t.data, {keyParameter})";

    public override string DataArgument(string parameter, bool text) => parameter;

    public override string DataText(string keyParameter) => $"CAST(json_extract(t.data, {keyParameter}) AS TEXT)";

    /// <summary><c>gt_regexp</c> is .NET's non-backtracking engine, registered on every connection (<see cref="SqliteConnectionSetup"/>).</summary>
    public override string Matches(string text, string patternParameter) => $"COALESCE(gt_regexp({patternParameter}, {text}), 0)";

    public override string Unindexed(string expression) => "+" + expression;

    public override bool NullsFirst => true;

    public override string? LockTasks(string ids) => null;

    public override bool ReadsBesideWrites => false;

    public override bool WritesOnTwoConnections => false;

    public override string ForShare => "";

    /// <summary>
    /// Multi-row INSERTs of 200 parameters: SQLite binds each parameter by looking its name up in a list, so a
    /// statement's cost grows with the square of its parameters and a few hundred is fastest (a 20,000-task import's
    /// chunks took 13 s with 2,000 a statement, 6.6 s with 200).
    /// </summary>
    public override async Task InsertRowsAsync(GroundTruthDbContext db, string table, string[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var perStatement = Math.Max(1, ParametersPerInsert / columns.Length);
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += perStatement)
            {
                var count = Math.Min(perStatement, rows.Count - start);
                // Every statement but the last has the same shape: it is prepared once and run again with new values.
                var insert = count == perStatement ? full ??= PrepareInsert(db, table, columns, count) : PrepareInsert(db, table, columns, count);
                for (var r = 0; r < count; r++)
                {
                    for (var c = 0; c < columns.Length; c++)
                    {
                        insert.Parameters[r * columns.Length + c].Value = rows[start + r][c] ?? DBNull.Value;
                    }
                }
                await insert.ExecuteNonQueryAsync(ct);
                if (insert != full)
                {
                    await insert.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private const int ParametersPerInsert = 200;

    private static DbCommand PrepareInsert(GroundTruthDbContext db, string table, string[] columns, int rows)
    {
        var sql = new System.Text.StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        var names = new List<string>(rows * columns.Length);
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = "@p" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names.Add(name);
                sql.Append(c == 0 ? "" : ", ").Append(name);
            }
            sql.Append(')');
        }
        return db.Prepare(sql.ToString(), [.. names]);
    }

    /// <summary>The ids after the highest ever used: the caller holds the write lock, so no one else takes them meanwhile.</summary>
    public override async Task<long[]> ReserveIdsAsync(GroundTruthDbContext db, string table, int count, CancellationToken ct)
    {
        await using var last = db.Command($"""
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0), COALESCE((SELECT MAX(id) FROM {table}), 0))
            """);
        var after = await last.ScalarLongAsync(ct);
        return [.. Enumerable.Range(1, count).Select(i => after + i)];
    }

    public override string SkipLocked => "";

    public override async Task<IDbContextTransaction> BeginSnapshotAsync(DatabaseFacade database, CancellationToken ct)
    {
        await database.OpenConnectionAsync(ct);
        // Deferred: a read transaction that takes no write lock, so an export never holds up a reviewer.
        var transaction = ((SqliteConnection)database.GetDbConnection()).BeginTransaction(deferred: true);
        return await database.UseTransactionAsync(transaction, ct) ?? throw new InvalidOperationException("No transaction.");
    }

    /// <summary>BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock at once, so concurrent writers queue on the busy timeout.</summary>
    public override async Task<IDbContextTransaction> BeginWriteAsync(DatabaseFacade database, CancellationToken ct)
    {
        var waiting = Waiting(database);
        Interlocked.Increment(ref waiting.Value);
        try
        {
            return await database.BeginTransactionAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref waiting.Value);
        }
    }

    /// <summary>
    /// SQLite's lock is not a queue: a writer waiting on the busy timeout sleeps between tries (up to 100 ms), and a job
    /// that starts its next chunk the moment the last one commits can take the lock again each time, so a star could
    /// wait many chunks. One process holds a SQLite file (several nodes need PostgreSQL), so the process knows who
    /// waits: a chunk starts only when no other write of this file is waiting to begin, or after at most a second.
    /// </summary>
    public override async Task<IDbContextTransaction> BeginChunkAsync(DatabaseFacade database, CancellationToken ct)
    {
        var waiting = Waiting(database);
        var deadline = Environment.TickCount64 + 1000;
        while (Volatile.Read(ref waiting.Value) > 0 && Environment.TickCount64 < deadline)
        {
            await Task.Delay(1, ct);
        }
        return await database.BeginTransactionAsync(ct);
    }

    // Writes waiting to begin, per database file (a test process holds many).
    private static readonly ConcurrentDictionary<string, StrongBox<int>> WaitingWriters = new(StringComparer.Ordinal);

    private static StrongBox<int> Waiting(DatabaseFacade database) =>
        WaitingWriters.GetOrAdd(new SqliteConnectionStringBuilder(database.GetConnectionString()).DataSource, _ => new StrongBox<int>());

    /// <summary>
    /// Creates the folder and the file, owner-only from the first byte (it holds password hashes; SQLite gives -wal and
    /// -shm the same mode). Then reads the schema and takes the write lock once on a plain connection, so that a file that
    /// is read-only, not a database or in a folder the app cannot write fails here, with SQLite's own error, before EF
    /// runs and logs a failed command; <see cref="StorageFaults.Describe"/> turns it into the one line start-up prints.
    /// </summary>
    public override async Task PrepareStorageAsync(DatabaseFacade database, CancellationToken ct)
    {
        var connectionString = database.GetConnectionString();
        var builder = new SqliteConnectionStringBuilder(connectionString);
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
                using var file = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
            }
        }
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var probe = connection.CreateCommand();
        probe.CommandText = "PRAGMA schema_version; BEGIN IMMEDIATE; ROLLBACK;";
        await probe.ExecuteNonQueryAsync(ct);
    }

    /// <summary>WAL: readers never wait for the writer, and a commit writes the log, not the pages.</summary>
    public override async Task TuneStorageAsync(DatabaseFacade database, CancellationToken ct) =>
        await database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
}
