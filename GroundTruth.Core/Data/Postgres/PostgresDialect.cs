using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace GroundTruth.Core.Data.Postgres;

/// <summary>
/// PostgreSQL's side of <see cref="SqlDialect"/>: id lists as arrays, score sheets as json, task data kept as the text
/// that arrived (so exports are byte for byte) and read as jsonb where a filter needs it, and row locks per task.
/// </summary>
public sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string Describe(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) is var b ? $"{b.Database} on {b.Host}:{b.Port}" : "";

    public override string DeferTaskKeys => "SET CONSTRAINTS \"FK_annotations_tasks_task_id\", \"FK_predictions_tasks_task_id\" DEFERRED";

    // Not annotation_results nor the score sheets' JSON: they are only read by their key, and sampling their text costs the most.
    public override string AnalyzeTaskTables => "ANALYZE tasks, annotations, predictions, score_sheets (project_id, has_ground_truth, agreement, min_accuracy)";

    // Deletes exactly the rows it adds up, so a row a writer commits meanwhile is neither lost nor counted twice.
    public override string FoldProjectTotals => """
        WITH folded AS (DELETE FROM project_totals WHERE project_id = @project RETURNING *)
        INSERT INTO project_totals (project_id, tasks, ground_truths, annotated_tasks, annotations, cancelled_annotations, predictions)
        SELECT @project, SUM(tasks), SUM(ground_truths), SUM(annotated_tasks), SUM(annotations), SUM(cancelled_annotations), SUM(predictions)
        FROM folded HAVING COUNT(*) > 0
        """;

    public override string IsTrue(string column) => column;

    /// <summary>
    /// <c>json</c>, the text as written, not <c>jsonb</c>: a sheet is written and read whole, and only a ground-truth change
    /// reads one number in it. Against <c>jsonb</c>, by hand on 100,000 sheets: writing them 0.74–0.82 s instead of
    /// 2.6–2.7 s, reading them as text 0.19–0.23 s instead of 0.58–0.65 s, 69 MB instead of 156 MB.
    /// </summary>
    public override string? JsonColumnType => "json";

    public override string IdList(string parameter) => $"SELECT unnest(CAST({parameter} AS bigint[]))";

    public override object Ids(IEnumerable<long> ids) => ids.ToArray();

    public override string InIds(string column, string parameter) => $"{column} = ANY(CAST({parameter} AS bigint[]))";

    public override string JsonArray(string column, string key, string alias) => $"json_array_elements({column} -> '{key}') AS {alias}(value)";

    public override string Item(string alias, int index, bool integer) => $"CAST({alias}.value ->> {index} AS {(integer ? "bigint" : "double precision")})";

    public override string JsonRows(string parameter, string alias) => $"json_array_elements(CAST(convert_from({parameter}, 'UTF8') AS json)) AS {alias}(value)";

    /// <summary>Sent as bytea straight from the caller's buffer: no copy on this side.</summary>
    public override object JsonRowsValue(ReadOnlyMemory<byte> utf8) => utf8;

    /// <summary>
    /// Two arrays, the documents as bytea straight from the caller's buffers: against one JSON array of [id, document]
    /// rows, which PostgreSQL parses whole and then each element again, writing 100,000 comparisons took 1.1–1.5 s
    /// instead of 2.6–3.8 s (by hand, on the 1M benchmark's database).
    /// </summary>
    public override string Documents(string parameter, string alias) =>
        $"(SELECT u.id, CAST(convert_from(u.document, 'UTF8') AS json) AS document FROM unnest(CAST({parameter}_ids AS bigint[]), CAST({parameter}_documents AS bytea[])) AS u(id, document)) AS {alias}";

    public override string[] DocumentParameters(string parameter) => [$"{parameter}_ids", $"{parameter}_documents"];

    public override void SetDocuments(DbCommand command, string parameter, IReadOnlyList<long> ids, IReadOnlyList<byte[]> documents)
    {
        command.Set($"{parameter}_ids", ids.ToArray());
        command.Set($"{parameter}_documents", documents.ToArray());
    }

    public override string JsonNumber(string column, string member, string keyExpression) => $"CAST({column} -> '{member}' ->> CAST({keyExpression} AS text) AS double precision)";

    public override object DataKey(string key) => key;

    /// <summary>jsonb compares numbers as numbers and strings as strings, as SQLite's json_extract values do.</summary>
    public override string DataValue(string keyParameter, bool text) =>
        text ? $"(CAST(t.data AS jsonb) ->> CAST({keyParameter} AS text))" : $"(CAST(t.data AS jsonb) -> CAST({keyParameter} AS text))";

    public override string DataArgument(string parameter, bool text) => text ? $"CAST({parameter} AS text)" : $"to_jsonb(CAST({parameter} AS double precision))";

    public override string DataText(string keyParameter) => $"(CAST(t.data AS jsonb) ->> CAST({keyParameter} AS text))";

    /// <summary>
    /// PostgreSQL's own regular expressions: patterns pass .NET's non-backtracking check first (RegexFilter), and the
    /// engine is not a backtracking one either; a pattern it reads differently is an error, which is a 400.
    /// </summary>
    public override string Matches(string text, string patternParameter) => $"COALESCE({text} ~ CAST({patternParameter} AS text), FALSE)";

    public override string Unindexed(string expression) => expression;

    public override bool NullsFirst => false;

    public override string? LockTasks(string ids) => $"SELECT id FROM tasks WHERE id IN ({ids}) ORDER BY id FOR UPDATE";

    public override bool ReadsBesideWrites => true;

    public override bool WritesOnTwoConnections => true;

    public override string ForShare => "FOR SHARE";

    /// <summary>
    /// One binary COPY a table: no SQL text of thousands of parameters to build, send, parse and plan per chunk (a
    /// 100,000-task import prepared 1,500 such INSERTs, 3.6 s of the client's time). COPY fires the tables' triggers as
    /// INSERT does. Each value goes as its column's type, which the catalog names once per table.
    /// </summary>
    public override async Task InsertRowsAsync(GroundTruthDbContext db, string table, string[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var connection = (NpgsqlConnection)await db.OpenConnectionAsync(ct);
        var types = await ColumnTypesAsync(connection, table, columns, ct);
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            await copy.StartRowAsync(ct);
            for (var c = 0; c < columns.Length; c++)
            {
                await (row[c] is { } value ? copy.WriteAsync(value, types[c], ct) : copy.WriteNullAsync(ct));
            }
        }
        await copy.CompleteAsync(ct);
    }

    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, NpgsqlDbType>> TableColumns = new(StringComparer.Ordinal);

    /// <summary>The types of a table's columns, read from the catalog once (the schema is the migrations', one for all databases).</summary>
    private static async Task<NpgsqlDbType[]> ColumnTypesAsync(NpgsqlConnection connection, string table, string[] columns, CancellationToken ct)
    {
        if (!TableColumns.TryGetValue(table, out var known))
        {
            var read = new Dictionary<string, NpgsqlDbType>(StringComparer.Ordinal);
            await using var command = new NpgsqlCommand("""
                SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                WHERE a.attrelid = CAST(@table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                """, connection);
            command.Parameters.AddWithValue("table", table);
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    read[reader.GetString(0)] = reader.GetString(1) switch
                    {
                        "int8" => NpgsqlDbType.Bigint,
                        "int4" => NpgsqlDbType.Integer,
                        "bool" => NpgsqlDbType.Boolean,
                        "float8" => NpgsqlDbType.Double,
                        "text" => NpgsqlDbType.Text,
                        "varchar" => NpgsqlDbType.Varchar,
                        "json" => NpgsqlDbType.Json,
                        "timestamptz" => NpgsqlDbType.TimestampTz,
                        var other => throw new NotSupportedException($"Column {table}.{reader.GetString(0)} has type {other}, which the importer does not write."),
                    };
                }
            }
            TableColumns[table] = known = read;
        }
        return [.. columns.Select(c => known[c])];
    }

    private static readonly ConcurrentDictionary<string, string> IdSequences = new(StringComparer.Ordinal);

    /// <summary>
    /// Values of the table's identity sequence: never handed out twice, whoever else asks meanwhile. The sequence is named
    /// as a constant regclass, looked up once per table: nextval of its name as text looks the name up in the catalog
    /// for every row (300,000 ids: 0.8-1.0 s against 0.09-0.13 s), 3 s of a 100,000-task import.
    /// </summary>
    public override async Task<long[]> ReserveIdsAsync(GroundTruthDbContext db, string table, int count, CancellationToken ct)
    {
        if (!IdSequences.TryGetValue(table, out var sequence))
        {
            await using var name = db.Command($"SELECT pg_get_serial_sequence('{table}', 'id')");
            sequence = IdSequences.GetOrAdd(table, (string)(await name.ExecuteScalarAsync(ct))!);
        }
        await using var next = db.Command($"SELECT nextval(CAST('{sequence}' AS regclass)) FROM generate_series(1, @count)", [new("@count", count)]);
        await using var reader = await next.ExecuteReaderAsync(ct);
        var ids = new long[count];
        for (var i = 0; await reader.ReadAsync(ct); i++)
        {
            ids[i] = reader.GetInt64(0);
        }
        return ids;
    }

    // NO KEY: the claim changes no key, and a plain FOR UPDATE would also skip a job whose row an upload's staged rows
    // share-lock through their foreign key, leaving it unclaimed until the next poll.
    public override string SkipLocked => "FOR NO KEY UPDATE SKIP LOCKED";

    public override Task<IDbContextTransaction> BeginSnapshotAsync(DatabaseFacade database, CancellationToken ct) =>
        database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    /// <summary>
    /// Connects once on a plain connection, so that an unreachable server or refused credentials fail here with Npgsql's
    /// own error before EF runs and logs a failed command. A database that does not exist yet is fine: the migrations
    /// create it.
    /// </summary>
    public override async Task PrepareStorageAsync(DatabaseFacade database, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.GetConnectionString());
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // created by MigrateAsync
        }
    }

    /// <summary>
    /// The connection string the app uses: writes wait for a lock at most 30 s (then 503, as on SQLite) unless the
    /// connection string says otherwise, a statement has no client-side time limit (a bulk action over a million
    /// tasks takes longer than Npgsql's default 30 s), and no JIT compilation unless the connection string asks for it.
    /// Our statements are short, and JIT follows the planner's estimates: a stale one put the predictions trigger's
    /// UPDATE over jit_above_cost, and each import chunk spent ~13 ms compiling a statement that then touched no row
    /// (15 ms a call, 6.6 s of a 100,000-task import, against 0.9 s without JIT). Statements the app repeats are prepared
    /// once per connection (Npgsql's automatic preparation), so the server stops parsing and planning a star's dozen
    /// statements on every request: under 50 reviewers starring flat out with two jobs running (20,000 tasks, one run
    /// each), a star's median went from 440 to 298 ms, its p99 from 968 to 865 ms, and the requests served by 40 %.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("lock_timeout", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c lock_timeout=30000".Trim();
        }
        if (builder.Options?.Contains("jit", StringComparison.Ordinal) != true)
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }
        if (!Sets(connectionString, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!Sets(connectionString, "CommandTimeout"))
        {
            builder.CommandTimeout = 0;
        }
        return builder.ConnectionString;
    }

    /// <summary>Whether the connection string names the keyword itself, spelt with or without spaces ("Max Auto Prepare",
    /// "MaxAutoPrepare"); a substring test would also match "Auto Prepare Min Usages".</summary>
    private static bool Sets(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(key => string.Equals(key.Replace(" ", "", StringComparison.Ordinal), keyword, StringComparison.OrdinalIgnoreCase));
}
