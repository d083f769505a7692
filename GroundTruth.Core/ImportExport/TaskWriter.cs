using System.Text.Json;
using GroundTruth.Core.Data;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Writes an import chunk's tasks with their annotations, predictions, score sheets and history rows. The ids are
/// reserved first, so every row — and the score sheets, which name annotation and prediction ids — is known before
/// anything is written, and each table gets a few multi-row INSERTs: a handful of round trips a chunk instead of ten a
/// task, which is what PostgreSQL's import time was made of.
/// </summary>
internal sealed class TaskWriter(GroundTruthDbContext db, long projectId, string? importedBy, DateTime now, ScoringSettings settings)
{
    private static readonly string[] TaskColumns = ["id", "project_id", "external_id", "inner_id", "data", "meta", "extra", "created_at", "updated_at",
        "total_annotations", "cancelled_annotations", "total_predictions"];
    private static readonly string[] AnnotationColumns = ["id", "task_id", "member_id", "external_id", "was_cancelled", "ground_truth", "created_at", "updated_at", "lead_time"];
    private static readonly string[] ResultColumns = ["id", "result", "extra"];
    private static readonly string[] PredictionColumns = ["id", "task_id", "external_id", "model_version", "score", "result", "created_at", "extra"];
    private static readonly string[] SheetColumns = ["task_id", "project_id", "agreement", "min_accuracy"];
    private static readonly string[] ComparisonColumns = ["task_id", "scores"];
    private static readonly string[] ChangeColumns = ["task_id", "annotation_id", "previous_annotation_id", "kind", "source", "changed_by", "changed_at"];

    /// <summary>Writes the tasks, each as number <c>InnerId</c> of the project.</summary>
    public async Task WriteAsync(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, CancellationToken ct) =>
        await WriteAsync(tasks, await ReserveAsync(tasks, ct), ct);

    /// <summary>
    /// Reserves the tasks' ids and those of their annotations and predictions, in order, and finds or adds their
    /// annotators (added annotators are committed with this context's transaction, or at once outside one).
    /// </summary>
    public async Task<TaskKeys> ReserveAsync(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, CancellationToken ct) =>
        new(await db.Dialect.ReserveIdsAsync(db, "tasks", tasks.Count, ct),
            await db.Dialect.ReserveIdsAsync(db, "annotations", tasks.Sum(t => t.Task.Annotations.Count), ct),
            await db.Dialect.ReserveIdsAsync(db, "predictions", tasks.Sum(t => t.Task.Predictions.Count), ct),
            await MembersAsync(tasks.SelectMany(t => t.Task.Annotations), ct));

    /// <summary>Writes the tasks with the ids and annotators <see cref="ReserveAsync"/> found for them.</summary>
    public async Task WriteAsync(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, TaskKeys keys, CancellationToken ct)
    {
        var (taskIds, annotationIds, predictionIds, members) = keys;
        // Scored (before the rows exist, by position: one pass, no rescoring later) on every core while the database
        // takes the task, annotation and prediction rows, which do not wait for the scores: PostgreSQL's part of a
        // chunk is most of it, and the client's cores were idle meanwhile.
        var scoring = Task.Run(() => Score(tasks, taskIds, annotationIds, predictionIds, ct), ct);
        try
        {
            List<object?[]> taskRows = [], annotationRows = [], resultRows = [], predictionRows = [], changeRows = [];
            int nextAnnotation = 0, nextPrediction = 0;
            for (var i = 0; i < tasks.Count; i++)
            {
                var (innerId, task) = tasks[i];
                var taskId = taskIds[i];
                taskRows.Add([taskId, projectId, task.ExternalId, innerId, task.Data, task.Meta, task.Extra, task.CreatedAt ?? now, task.UpdatedAt ?? task.CreatedAt ?? now,
                    0, 0, 0 /* counted by the database as the row is inserted */]);
                foreach (var a in task.Annotations)
                {
                    var id = annotationIds[nextAnnotation++];
                    annotationRows.Add([id, taskId, members[a.Email], a.ExternalId, a.WasCancelled, a.KeepsGroundTruth,
                        a.CreatedAt ?? now, a.UpdatedAt ?? a.CreatedAt ?? now, a.LeadTime]);
                    resultRows.Add([id, a.Result, a.Extra]);
                    if (a.KeepsGroundTruth)
                    {
                        changeRows.Add([taskId, id, null, "Set", "Import", importedBy, now]);
                    }
                }
                foreach (var p in task.Predictions)
                {
                    predictionRows.Add([predictionIds[nextPrediction++], taskId, p.ExternalId, p.ModelVersion, p.Score, p.Result, p.CreatedAt ?? now, p.Extra]);
                }
            }

            // Annotations and predictions before their tasks (their keys checked at the commit): a task inserted after them
            // counts them itself, so each task row is written once instead of once and then again for every annotation.
            await using (var defer = db.Command(db.Dialect.DeferTaskKeys))
            {
                await defer.ExecuteNonQueryAsync(ct);
            }
            await db.Dialect.InsertRowsAsync(db, "annotations", AnnotationColumns, annotationRows, ct);
            await db.Dialect.InsertRowsAsync(db, "annotation_results", ResultColumns, resultRows, ct);
            await db.Dialect.InsertRowsAsync(db, "predictions", PredictionColumns, predictionRows, ct);
            await db.Dialect.InsertRowsAsync(db, "tasks", TaskColumns, taskRows, ct);
            var (sheetRows, comparisonRows) = await scoring;
            await db.Dialect.InsertRowsAsync(db, "score_sheets", SheetColumns, sheetRows, ct);
            await db.Dialect.InsertRowsAsync(db, "score_comparisons", ComparisonColumns, comparisonRows, ct);
            await db.Dialect.InsertRowsAsync(db, "ground_truth_changes", ChangeColumns, changeRows, ct);
        }
        finally
        {
            // When a write fails, the scoring ends before the chunk does; the write's exception is the one that counts.
            await ((Task)scoring).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Each task's score sheet row (its ground truth looked up by the database as it is inserted, like the task's counters) and comparisons row.</summary>
    private (object?[][] Sheets, object?[][] Comparisons) Score(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, long[] taskIds, long[] annotationIds,
        long[] predictionIds, CancellationToken ct)
    {
        var (sheets, comparisons) = (new object?[tasks.Count][], new object?[tasks.Count][]);
        var (firstAnnotation, firstPrediction) = (new int[tasks.Count], new int[tasks.Count]);
        for (var i = 1; i < tasks.Count; i++)
        {
            firstAnnotation[i] = firstAnnotation[i - 1] + tasks[i - 1].Task.Annotations.Count;
            firstPrediction[i] = firstPrediction[i - 1] + tasks[i - 1].Task.Predictions.Count;
        }
        Parallel.For(0, tasks.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var task = tasks[i].Task;
            var sheet = ScoreSheet.Compute(
                task.Annotations.Select((a, j) => new ScoredAnnotation(j, a.WasCancelled, a.KeepsGroundTruth, a.Result)).ToList(),
                task.Predictions.Select((p, j) => new ScoredPrediction(j, p.Result)).ToList(),
                settings);
            var groundTruth = task.Annotations.FindIndex(a => a.KeepsGroundTruth);
            sheets[i] = [taskIds[i], projectId, sheet.Agreement(settings, groundTruth < 0 ? null : groundTruth), groundTruth < 0 ? null : sheet.MinAccuracy(groundTruth)];
            comparisons[i] = [taskIds[i], sheet.WithIds(j => annotationIds[firstAnnotation[i] + (int)j], j => predictionIds[firstPrediction[i] + (int)j]).ToJson()];
        });
        return (sheets, comparisons);
    }

    /// <summary>
    /// The member id of every annotator of the chunk, adding those the database does not know yet: one query a chunk
    /// however many annotators the file has (a query an annotator was a round trip each, every chunk).
    /// </summary>
    private async Task<Dictionary<string, long>> MembersAsync(IEnumerable<ImportedAnnotation> annotations, CancellationToken ct)
    {
        var wanted = annotations.DistinctBy(a => a.Email, StringComparer.Ordinal).Select(a => (a.Email, a.DisplayName)).ToList();
        var ids = await FindMembersAsync(wanted, ct);
        var missing = wanted.Where(m => !ids.ContainsKey(m.Email)).ToList();
        if (missing.Count > 0)
        {
            // Two imports may add the same new annotator at once: the second's insert skips it and the read finds the first's row.
            var d = db.Dialect;
            await using (var add = db.Command($"""
                INSERT INTO members (email, display_name)
                  SELECT {d.TextItem("m", 0)}, {d.TextItem("m", 1)} FROM {d.JsonRows("@members", "m")} WHERE TRUE
                  ON CONFLICT (email) DO NOTHING
                """, [new("@members", MemberRows(d, missing))]))
            {
                await add.ExecuteNonQueryAsync(ct);
            }
            foreach (var (email, id) in await FindMembersAsync(missing, ct))
            {
                ids[email] = id;
            }
        }
        return ids;
    }

    private async Task<Dictionary<string, long>> FindMembersAsync(List<(string Email, string Name)> members, CancellationToken ct)
    {
        var d = db.Dialect;
        await using var find = db.Command($"SELECT id, email FROM members WHERE email IN (SELECT {d.TextItem("m", 0)} FROM {d.JsonRows("@members", "m")})",
            [new("@members", MemberRows(d, members))]);
        await using var reader = await find.ExecuteReaderAsync(ct);
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            ids[reader.GetString(1)] = reader.GetInt64(0);
        }
        return ids;
    }

    /// <summary>A <see cref="SqlDialect.JsonRows"/> parameter of [email, display name] rows.</summary>
    private static object MemberRows(SqlDialect d, List<(string Email, string Name)> members) =>
        d.JsonRowsValue(JsonSerializer.SerializeToUtf8Bytes(members.Select(m => new[] { m.Email, m.Name })));
}

/// <summary>What a chunk's rows point at, known before any of them is written: their ids, and their annotators' member ids.</summary>
internal sealed record TaskKeys(long[] Tasks, long[] Annotations, long[] Predictions, Dictionary<string, long> Members)
{
    /// <summary>The keys of <paramref name="count"/> of the <paramref name="tasks"/> these keys were reserved for, from <paramref name="from"/>.</summary>
    public TaskKeys Slice(IReadOnlyList<(long InnerId, ImportedTask Task)> tasks, int from, int count)
    {
        var (annotations, predictions) = (tasks.Take(from).Sum(t => t.Task.Annotations.Count), tasks.Take(from).Sum(t => t.Task.Predictions.Count));
        var part = tasks.Skip(from).Take(count).ToList();
        return new(Tasks[from..(from + count)], Annotations[annotations..(annotations + part.Sum(t => t.Task.Annotations.Count))],
            Predictions[predictions..(predictions + part.Sum(t => t.Task.Predictions.Count))], Members);
    }
}
