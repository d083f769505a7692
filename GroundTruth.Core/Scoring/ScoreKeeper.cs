using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Writes tasks' stored scores inside the caller's transaction, so that scores change in the same unit of work as the
/// ground truth, the results or the settings they depend on. Only the tasks named are touched, in batches: each batch is
/// read with three queries (results, predictions, what is stored now), scored on every core, and what changed written
/// with one command a table, its rows in one JSON parameter (the comparisons' documents in arrays where the provider
/// binds them, <see cref="SqlDialect.Documents"/>): a round trip a row was most of PostgreSQL's rescoring time.
/// </summary>
internal static class ScoreKeeper
{
    private const int Batch = 2000, SmallestBatch = 250;

    public static async Task<ScoringSettings> SettingsAsync(GroundTruthDbContext db, long projectId, CancellationToken ct) =>
        ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == projectId).Select(p => p.ScoringSettings).SingleOrDefaultAsync(ct));

    /// <summary>
    /// The project's settings, with its row share-locked for the transaction (PostgreSQL; SQLite's write lock holds it
    /// already), so a change of settings cannot land between reading them and writing scores by them; stars, imports and
    /// other chunks in the project go on meanwhile.
    /// </summary>
    public static async Task<ScoringSettings> LockedSettingsAsync(GroundTruthDbContext db, long projectId, CancellationToken ct)
    {
        await using (var project = db.Command($"SELECT id FROM projects WHERE id = @project {db.Dialect.ForShare}", [new("@project", projectId)]))
        {
            await project.ExecuteScalarAsync(ct);
        }
        return await SettingsAsync(db, projectId, ct);
    }

    /// <summary>The task's stored score sheet (empty when it has none).</summary>
    public static async Task<ScoreSheet> SheetAsync(GroundTruthDbContext db, long taskId, CancellationToken ct) =>
        ScoreSheet.Parse(await db.Comparisons.Where(c => c.TaskId == taskId).Select(c => c.Scores).SingleOrDefaultAsync(ct));

    /// <summary>
    /// Recomputes the tasks' score sheets, agreement and lowest accuracy from their results. Scoring is the client's work
    /// and reading and writing the database's, so they overlap: a batch is scored while the one before it is written and
    /// the one after it read, instead of each side waiting for the other (a rescoring of 100,000 tasks on PostgreSQL: 14 %
    /// faster, docs/benchmarks.md). With <paramref name="reads"/>, the reads run on its connection beside the writes on
    /// <paramref name="db"/>'s, so the database works on both at once.
    /// </summary>
    /// <param name="reads">
    /// A second context to read the results on, for a caller whose transaction has not changed them (a rescoring): it
    /// sees what is committed, not what <paramref name="db"/>'s transaction wrote.
    /// </param>
    /// <param name="progress">Told the fraction of the tasks done after each batch.</param>
    public static async Task RecomputeAsync(GroundTruthDbContext db, ScoringSettings settings, IReadOnlyList<long> taskIds, CancellationToken ct,
        IProgress<double>? progress = null, GroundTruthDbContext? reads = null)
    {
        if (taskIds.Count == 0)
        {
            return;
        }
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        // Rows of [task, agreement, lowest accuracy] for the sheets and [task, comparisons] for the comparisons: every task
        // has both (the import writes them with the task). Only the rows whose values changed are sent (a rescoring after
        // a setting that moves few scores then writes few rows: parsing an unchanged batch's rows and matching them against
        // the stored ones cost PostgreSQL some 40 µs a task, 40 s at 1M), each table's apart, so a setting that moves only
        // agreement leaves the comparisons' kilobytes alone; the statements' own checks stay for a task a concurrent write
        // changed meanwhile.
        var (agreement, minAccuracy) = (d.Item("r", 1, integer: false), d.Item("r", 2, integer: false));
        await using var writeSheets = db.Prepare($"""
            UPDATE score_sheets SET agreement = {agreement}, min_accuracy = {minAccuracy}
              FROM {d.JsonRows("@rows", "r")}
              WHERE score_sheets.task_id = {d.Item("r", 0, integer: true)}
                AND (score_sheets.agreement IS DISTINCT FROM {agreement} OR score_sheets.min_accuracy IS DISTINCT FROM {minAccuracy});
            """, "@rows");
        await using var writeComparisons = db.Prepare($"""
            UPDATE score_comparisons SET scores = c.document
              FROM {d.Documents("@comparisons", "c")}
              WHERE score_comparisons.task_id = c.id AND CAST(score_comparisons.scores AS TEXT) IS DISTINCT FROM CAST(c.document AS TEXT);
            """, d.DocumentParameters("@comparisons"));
        var batches = Batches(taskIds);
        var source = reads ?? db;
        await source.OpenConnectionAsync(ct);
        var reading = ReadAsync(source, batches[0], ct);
        Task<Scored[]>? scoring = null;
        try
        {
            var done = 0;
            for (var k = 0; k <= batches.Count; k++)
            {
                // Batch k is read; batch k - 1 is scored (or being scored) and gets written while k is scored and k + 1 read.
                var results = k < batches.Count ? await reading : null;
                var scored = scoring is null ? null : await scoring;
                scoring = results is null ? null : ScoreAsync(results, settings, ct);
                if (k + 1 < batches.Count)
                {
                    reading = ReadAsync(source, batches[k + 1], ct);
                    if (reads is null)
                    {
                        await reading; // one connection runs one command at a time
                    }
                }
                if (scored is null)
                {
                    continue;
                }
                var sheets = scored.Where(s => s.SheetChanged).ToList();
                if (sheets.Count > 0)
                {
                    await WriteRowsAsync(writeSheets, d, sheets.Count, (json, i) =>
                    {
                        json.WriteNumberValue(sheets[i].Task);
                        WriteNumber(json, sheets[i].Agreement);
                        WriteNumber(json, sheets[i].MinAccuracy);
                    }, ct);
                }
                var comparisons = scored.Where(s => s.ComparisonsChanged).ToList();
                if (comparisons.Count > 0)
                {
                    d.SetDocuments(writeComparisons, "@comparisons", comparisons.ConvertAll(s => s.Task), comparisons.ConvertAll(s => s.Comparisons));
                    await writeComparisons.ExecuteNonQueryAsync(ct);
                }
                done += scored.Length;
                progress?.Report((double)done / taskIds.Count);
            }
        }
        finally
        {
            // After a failed write, the read under way on the other connection ends before its context goes, and the
            // batch being scored before the call returns; their own outcomes no longer matter (the write's exception does).
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (scoring is not null)
            {
                await ((Task)scoring).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// A call's tasks in batches of a quarter (within bounds), but the first and the last a third of that: the first is
    /// read and the last written with nothing beside them, so short ends leave the other side idle for less. A rescoring
    /// at 1M on PostgreSQL, both rescorings of the benchmark: first reads 18.1 s and last writes 11.9 s with four equal
    /// batches, 6.7 and 4.1 s so.
    /// </summary>
    internal static List<long[]> Batches(IReadOnlyList<long> ids)
    {
        var size = Math.Clamp((ids.Count + 3) / 4, SmallestBatch, Batch);
        var end = Math.Max(size / 3, SmallestBatch / 4);
        if (ids.Count <= size + (2 * end))
        {
            return [.. ids.Chunk(size)];
        }
        var (middle, at) = (ids.Count - (2 * end), end);
        var parts = (middle + size - 1) / size;
        List<long[]> batches = [[.. ids.Take(end)]];
        for (var i = 0; i < parts; i++)
        {
            var count = (middle / parts) + (i < middle % parts ? 1 : 0);
            batches.Add([.. ids.Skip(at).Take(count)]);
            at += count;
        }
        batches.Add([.. ids.Skip(at)]);
        return batches;
    }

    /// <summary>What scoring a batch of tasks reads: each one's annotations and predictions, and what is stored now.</summary>
    private sealed record Results(long[] Tasks, Dictionary<long, List<ScoredAnnotation>> Annotations, Dictionary<long, List<ScoredPrediction>> Predictions,
        Dictionary<long, Stored> Stored);

    /// <summary>A task's stored agreement, lowest accuracy and comparisons (as the database prints them).</summary>
    private readonly record struct Stored(double? Agreement, double? MinAccuracy, string? Comparisons);

    /// <summary>A task's new scores, and which of its two rows they change.</summary>
    private readonly record struct Scored(long Task, byte[] Comparisons, double? Agreement, double? MinAccuracy, bool SheetChanged, bool ComparisonsChanged);

    /// <summary>A batch's rows in no particular order: scoring orders what it compares.</summary>
    private static async Task<Results> ReadAsync(GroundTruthDbContext db, long[] batch, CancellationToken ct)
    {
        var annotations = new Dictionary<long, List<ScoredAnnotation>>();
        var (inBatch, parameters) = InBatch(db.Dialect, "a.task_id", batch);
        await using (var read = db.Command($"""
            SELECT a.task_id, a.id, a.was_cancelled, a.ground_truth, r.result
            FROM annotations a JOIN annotation_results r ON r.id = a.id WHERE {inBatch}
            """, parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Add(annotations, reader.GetInt64(0), new ScoredAnnotation(reader.GetInt64(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetString(4)));
            }
        }
        var predictions = new Dictionary<long, List<ScoredPrediction>>();
        (inBatch, parameters) = InBatch(db.Dialect, "task_id", batch);
        await using (var read = db.Command($"SELECT task_id, id, result FROM predictions WHERE {inBatch}", parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                Add(predictions, reader.GetInt64(0), new ScoredPrediction(reader.GetInt64(1), reader.GetString(2)));
            }
        }
        var stored = new Dictionary<long, Stored>(batch.Length);
        (inBatch, parameters) = InBatch(db.Dialect, "s.task_id", batch);
        await using (var read = db.Command($"""
            SELECT s.task_id, s.agreement, s.min_accuracy, c.scores FROM score_sheets s LEFT JOIN score_comparisons c ON c.task_id = s.task_id
            WHERE {inBatch}
            """, parameters))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetInt64(0)] = new Stored(reader.GetNullableDouble(1), reader.GetNullableDouble(2), reader.IsDBNull(3) ? null : reader.GetString(3));
            }
        }
        return new Results(batch, annotations, predictions, stored);
    }

    /// <summary>
    /// The condition that <paramref name="column"/> names one of the batch's tasks, with its parameters. The batch's first
    /// and last id narrow nothing, but with them PostgreSQL walks the index once for the whole list and plans from a true
    /// estimate, where it hashed the ids as a set of their own and looked each up. 2,000 tasks at 1M, server time: their
    /// annotations 27 → 9 ms (no sort either), predictions 6.7 → 1.5 ms, sheets 7.7 → 4 ms.
    /// </summary>
    private static (string Sql, KeyValuePair<string, object?>[] Parameters) InBatch(SqlDialect dialect, string column, IReadOnlyCollection<long> batch) =>
        ($"{column} BETWEEN @first AND @last AND {dialect.InIds(column, "@ids")}", [new("@first", batch.Min()), new("@last", batch.Max()), new("@ids", dialect.Ids(batch))]);

    /// <summary>Scores a batch on every core, off the caller's thread (a synchronous provider's database work runs on it).</summary>
    private static Task<Scored[]> ScoreAsync(Results batch, ScoringSettings settings, CancellationToken ct) =>
        Task.Run(() =>
        {
            var scored = new Scored[batch.Tasks.Length];
            Parallel.For(0, batch.Tasks.Length, new ParallelOptions { CancellationToken = ct }, i =>
            {
                var task = batch.Tasks[i];
                var annotations = batch.Annotations.GetValueOrDefault(task) ?? [];
                var computed = ScoreSheet.Compute(annotations, batch.Predictions.GetValueOrDefault(task) ?? [], settings);
                var groundTruth = annotations.FirstOrDefault(a => a.GroundTruth && !a.WasCancelled)?.Id;
                var (sheet, agreement, minAccuracy) = (computed.ToUtf8Json(), computed.Agreement(settings, groundTruth), groundTruth is { } id ? computed.MinAccuracy(id) : null);
                var stored = batch.Stored.TryGetValue(task, out var old);
                scored[i] = new Scored(task, sheet, agreement, minAccuracy, !stored || old.Agreement != agreement || old.MinAccuracy != minAccuracy,
                    !stored || !SameAsStored(sheet, old.Comparisons));
            });
            return scored;
        }, ct);

    /// <summary>
    /// Whether a score sheet as written (compact JSON, everything but ASCII escaped) is the one the database holds, which
    /// keeps the text as written (<see cref="SqlDialect.JsonColumnType"/>). No parse and no allocation: a rescoring asks it
    /// for every task. A sheet stored in another spelling (PostgreSQL's <c>jsonb</c> before 2026-12-07 printed spaces)
    /// counts as changed and is written again.
    /// </summary>
    internal static bool SameAsStored(ReadOnlySpan<byte> sheet, string? stored)
    {
        if (stored is null || stored.Length != sheet.Length)
        {
            return false;
        }
        for (var i = 0; i < sheet.Length; i++)
        {
            if (stored[i] != (char)sheet[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// After the tasks' ground truth changed. Accuracies are read off the score sheets and the lowest one follows the flag
    /// by trigger, so with the ground truth counted in agreement (the default) nothing is left to do; otherwise the
    /// agreement is recomputed from the sheets, without comparing any result again.
    /// </summary>
    public static async Task GroundTruthChangedAsync(GroundTruthDbContext db, ScoringSettings settings, IReadOnlyList<long> taskIds, CancellationToken ct, IProgress<double>? progress = null)
    {
        if (settings.GroundTruthInAgreement)
        {
            return;
        }
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        await using var write = db.Prepare(
            $"UPDATE score_sheets SET agreement = {d.Item("r", 1, integer: false)} FROM {d.JsonRows("@rows", "r")} WHERE score_sheets.task_id = {d.Item("r", 0, integer: true)}", "@rows");
        for (var start = 0; start < taskIds.Count; start += Batch)
        {
            var rows = new List<(long Task, long? GroundTruth, string? Sheet)>();
            var (inBatch, parameters) = InBatch(d, "s.task_id", [.. taskIds.Skip(start).Take(Batch)]);
            await using (var read = db.Command($"""
                SELECT s.task_id, s.ground_truth_annotation_id, c.scores FROM score_sheets s JOIN score_comparisons c ON c.task_id = s.task_id
                WHERE {inBatch}
                """, parameters))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows.Add((reader.GetInt64(0), reader.GetNullableInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }
            await WriteRowsAsync(write, d, rows.Count, (json, i) =>
            {
                json.WriteNumberValue(rows[i].Task);
                WriteNumber(json, ScoreSheet.Parse(rows[i].Sheet).Agreement(settings, rows[i].GroundTruth));
            }, ct);
            progress?.Report(Math.Min(1, (double)(start + Batch) / taskIds.Count));
        }
    }

    /// <summary>Runs a prepared write with its <c>@rows</c> built in a pooled buffer, which goes back once the command has run.</summary>
    private static async Task WriteRowsAsync(DbCommand write, SqlDialect dialect, int count, Action<Utf8JsonWriter, int> row, CancellationToken ct)
    {
        using var rows = PooledJson.Rows(count, row);
        write.Set("@rows", dialect.JsonRowsValue(rows.Written));
        await write.ExecuteNonQueryAsync(ct);
    }

    private static void WriteNumber(Utf8JsonWriter json, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumberValue(number);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static void Add<T>(Dictionary<long, List<T>> map, long key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }
}
