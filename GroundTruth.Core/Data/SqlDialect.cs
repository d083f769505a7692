using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace GroundTruth.Core.Data;

/// <summary>
/// The SQL the two providers write differently, and nothing else: the services' hand-written statements are one text
/// with these fragments in it, so no service branches on the provider. Everything not here — TRUE/FALSE, aggregate
/// FILTER clauses, RETURNING, ON CONFLICT, LIMIT/OFFSET, CASE — is written once and runs on both.
/// </summary>
public abstract class SqlDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Where the data is, for a person reading a start-up error: a file's full path, or a database on a host.</summary>
    public abstract string Describe(string connectionString);

    /// <summary>
    /// Defers the checks of annotations' and predictions' keys to their task until the commit, within the transaction:
    /// an import then writes them before their tasks, which count them as they are inserted.
    /// </summary>
    public abstract string DeferTaskKeys { get; }

    /// <summary>
    /// Folds the rows of a project's totals (parameter <c>@project</c>) into one, or null where the triggers keep one row
    /// a project anyway (see <see cref="Model.ProjectTotal"/>).
    /// </summary>
    public abstract string? FoldProjectTotals { get; }

    /// <summary>
    /// Refreshes the planner's statistics of the tables an import loads, or null where the planner keeps none. Run when an
    /// import publishes: until then PostgreSQL plans the next reads by task from a guess (an unanalyzed table) and scans
    /// every annotation for each batch of a job that follows.
    /// </summary>
    public abstract string? AnalyzeTaskTables { get; }

    /// <summary>A partial index's condition that a boolean column is true.</summary>
    public abstract string IsTrue(string column);

    /// <summary>The column type of the score sheets (<c>json</c> on PostgreSQL; text on SQLite): both keep the text as written.</summary>
    public abstract string? JsonColumnType { get; }

    /// <summary>A subquery of the ids in <paramref name="parameter"/>, for <c>IN (...)</c>; its value is <see cref="Ids"/>.</summary>
    public abstract string IdList(string parameter);

    /// <summary>The value of an <see cref="IdList"/> parameter.</summary>
    public abstract object Ids(IEnumerable<long> ids);

    /// <summary>
    /// The condition that <paramref name="column"/> is one of the ids in <paramref name="parameter"/> (an <see cref="Ids"/>
    /// value), where an index on the column can take the whole list at once (PostgreSQL's <c>= ANY</c>; SQLite's
    /// <c>IN</c> does already).
    /// </summary>
    public virtual string InIds(string column, string parameter) => $"{column} IN ({IdList(parameter)})";

    /// <summary>
    /// Each element of the array under <paramref name="key"/> of a JSON column, as a FROM item named
    /// <paramref name="alias"/>; read its items with <see cref="Item"/>.
    /// </summary>
    public abstract string JsonArray(string column, string key, string alias);

    /// <summary>Item <paramref name="index"/> of an element of a <see cref="JsonArray"/>, as a number (an id or a score).</summary>
    public abstract string Item(string alias, int index, bool integer);

    /// <summary>
    /// Each element of the JSON array in <paramref name="parameter"/>, as a FROM item named <paramref name="alias"/>: many
    /// rows in one parameter, so a batch is written with one statement (one round trip) whatever its size. Read items
    /// with <see cref="Item"/> and <see cref="TextItem"/>. The parameter's value is <see cref="JsonRowsValue"/>.
    /// </summary>
    public abstract string JsonRows(string parameter, string alias);

    /// <summary>
    /// The value of a <see cref="JsonRows"/> parameter: the array's UTF-8 bytes, never a string (a rescoring batch's rows
    /// are megabytes, and as a string twice that on the large-object heap); the caller keeps them until the command has run.
    /// </summary>
    public abstract object JsonRowsValue(ReadOnlyMemory<byte> utf8);

    /// <summary>Item <paramref name="index"/> of an element of <see cref="JsonRows"/> or <see cref="JsonArray"/>, as text.</summary>
    public string TextItem(string alias, int index) => $"({alias}.value ->> {index})";

    /// <summary>
    /// Rows of an id and a JSON document (kilobytes each: a rescoring's comparisons) as a FROM item named
    /// <paramref name="alias"/> with the columns <c>id</c> and <c>document</c>, the latter a value for a JSON column. Its
    /// parameters are <see cref="DocumentParameters"/>, set with <see cref="SetDocuments"/>.
    /// </summary>
    public abstract string Documents(string parameter, string alias);

    /// <summary>The names of the parameters a <see cref="Documents"/> item reads, for preparing its command.</summary>
    public abstract string[] DocumentParameters(string parameter);

    /// <summary>Sets a <see cref="Documents"/> item's parameters: the ids, and each one's document as UTF-8 JSON.</summary>
    public abstract void SetDocuments(DbCommand command, string parameter, IReadOnlyList<long> ids, IReadOnlyList<byte[]> documents);

    /// <summary>The number under a key of a JSON column's object member (the trigger's lowest accuracy, say).</summary>
    public abstract string JsonNumber(string column, string member, string keyExpression);

    /// <summary>The parameter value naming a top-level key of a task's data.</summary>
    public abstract object DataKey(string key);

    /// <summary>The value of a key of the task's data, for comparing with <see cref="DataArgument"/> and for ordering.</summary>
    public abstract string DataValue(string keyParameter, bool text);

    /// <summary>A parameter as the other side of a comparison with <see cref="DataValue"/>.</summary>
    public abstract string DataArgument(string parameter, bool text);

    /// <summary>The value of a key of the task's data as text (a number as its digits), for contains, regex and empty.</summary>
    public abstract string DataText(string keyParameter);

    /// <summary>Whether <paramref name="text"/> matches the regular expression in <paramref name="patternParameter"/>; false for NULL.</summary>
    public abstract string Matches(string text, string patternParameter);

    /// <summary>
    /// An expression the planner must not answer from an index: with many matches, SQLite should walk the sort column's
    /// index instead of collecting every match through a filter's. PostgreSQL decides from its statistics.
    /// </summary>
    public abstract string Unindexed(string expression);

    /// <summary>Whether NULL sorts before every value in ascending order (SQLite) or after (PostgreSQL).</summary>
    public abstract bool NullsFirst { get; }

    /// <summary>
    /// A statement that locks the rows of the tasks a subquery selects for the transaction (PostgreSQL's
    /// <c>FOR UPDATE</c>), so that two writers of one task's ground truth queue; null where a write transaction already
    /// locks the whole database.
    /// </summary>
    public abstract string? LockTasks(string ids);

    /// <summary>
    /// Appended to the subquery that picks a job to claim: PostgreSQL's <c>FOR NO KEY UPDATE SKIP LOCKED</c>, so two nodes never
    /// claim one job and neither waits for the other; empty on SQLite, where the claiming UPDATE holds the write lock.
    /// </summary>
    public abstract string SkipLocked { get; }

    /// <summary>
    /// Appended to a SELECT to keep its rows from changing until the transaction ends (PostgreSQL's <c>FOR SHARE</c>);
    /// empty on SQLite, as <see cref="LockTasks"/>. Not <c>FOR UPDATE</c>: that also blocks the key-share lock every
    /// foreign-key check takes on the row it points at, so a job chunk holding its project that way stopped every star in
    /// the project (whose totals row points at the project) until the chunk committed.
    /// </summary>
    public abstract string ForShare { get; }

    /// <summary>
    /// Whether a rescoring job reads on a second connection beside its chunk's writes. PostgreSQL then runs the two on two
    /// backends at once (the next batch read while this one is written: the moving rescoring at 1M 53.6 s instead of
    /// 67.3 s, with the batches' short ends); SQLite's reads run in this process either way and stay on the chunk's
    /// connection (not measured beside).
    /// </summary>
    public abstract bool ReadsBesideWrites { get; }

    /// <summary>
    /// Whether two transactions may write different rows at once (PostgreSQL's row locks; SQLite has one writer): an
    /// import chunk then writes its two halves on two connections, so that two backends take its rows.
    /// </summary>
    public abstract bool WritesOnTwoConnections { get; }

    /// <summary>
    /// Reserves <paramref name="count"/> new ids of <paramref name="table"/>, so that rows and the rows that point at
    /// them can be written together in a few statements instead of one round trip each (the importer's chunks).
    /// </summary>
    public abstract Task<long[]> ReserveIdsAsync(GroundTruthDbContext db, string table, int count, CancellationToken ct);

    /// <summary>
    /// Writes <paramref name="rows"/> (values in the order of <paramref name="columns"/>) into <paramref name="table"/> in
    /// the current transaction, in as few round trips as the provider allows (JSON text into a JSON column included).
    /// The importer's path: a chunk's hundreds of tasks and their annotations, results and scores.
    /// </summary>
    public abstract Task InsertRowsAsync(GroundTruthDbContext db, string table, string[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct);

    /// <summary>A read transaction that sees one snapshot throughout, for an export.</summary>
    public abstract Task<IDbContextTransaction> BeginSnapshotAsync(DatabaseFacade database, CancellationToken ct);

    /// <summary>A write transaction: on SQLite it takes the write lock at once (BEGIN IMMEDIATE) so writers queue instead of failing.</summary>
    public virtual Task<IDbContextTransaction> BeginWriteAsync(DatabaseFacade database, CancellationToken ct) =>
        database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    /// <summary>
    /// A job chunk's write transaction, which lets the writes that people are waiting for go first; on PostgreSQL, where
    /// writers lock rows and not the database, the same as <see cref="BeginWriteAsync"/>.
    /// </summary>
    public virtual Task<IDbContextTransaction> BeginChunkAsync(DatabaseFacade database, CancellationToken ct) => BeginWriteAsync(database, ct);

    /// <summary>Before the migrations: whatever the storage needs to exist and be usable (SQLite's file and folder).</summary>
    public virtual Task PrepareStorageAsync(DatabaseFacade database, CancellationToken ct) => Task.CompletedTask;

    /// <summary>After the migrations: settings kept by the storage itself (SQLite's WAL mode).</summary>
    public virtual Task TuneStorageAsync(DatabaseFacade database, CancellationToken ct) => Task.CompletedTask;
}
