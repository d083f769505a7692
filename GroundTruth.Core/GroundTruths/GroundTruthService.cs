using System.Runtime.CompilerServices;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// The only writer of the ground-truth flag (besides import). Every operation is one write transaction that first
/// locks the tasks it changes (SQLite's BEGIN IMMEDIATE locks the database; PostgreSQL locks the task rows), so
/// concurrent reviewers queue rather than fail; it records its history rows in that transaction and leaves the task's
/// counters to the database triggers. Bulk actions run as jobs (<see cref="Jobs.JobRunner"/>), one such transaction a chunk. The partial unique index guarantees one ground truth per task whatever happens here.
/// </summary>
public sealed class GroundTruthService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time, IGroundTruthNotifier notifier, JobService jobs)
{
    /// <summary>Makes the annotation its task's ground truth, unsetting the previous one. Returns false if it already was.</summary>
    /// <remarks>
    /// A star is what reviewers wait for, so it costs five round trips: the access check, the locked read, the writes
    /// with their history row, the notification and the commit (PostgreSQL's BEGIN rides on the first).
    /// </remarks>
    public async Task<bool> SetAsync(Actor actor, long annotationId, ChangeSource source, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        var projectId = await Access.EnsureAnnotationAsync(db, actor, annotationId, Role.Reviewer, "change the ground truth", ct);
        var annotation = await ReadLockedAsync(db, annotationId, projectId, ct);
        if (annotation.WasCancelled)
        {
            throw new ConflictException($"Annotation {annotationId} was cancelled (skipped) and cannot be the ground truth.");
        }
        if (annotation.GroundTruth)
        {
            return false;
        }
        var previous = annotation.TaskGroundTruth;
        var kind = previous is null ? GroundTruthChangeKind.Set : GroundTruthChangeKind.Replaced;
        // Two statements, the old flag first: the partial unique index is checked row by row.
        await WriteAsync(db, $"""
            {(previous is null ? "" : "UPDATE annotations SET ground_truth = FALSE WHERE id = @previous;")}
            UPDATE annotations SET ground_truth = TRUE WHERE id = @annotation;
            {InsertChange}
            """, History(annotation.TaskId, annotationId, previous, kind, actor, source), ct);
        await ScoreKeeper.GroundTruthChangedAsync(db, annotation.Settings, [annotation.TaskId], ct);
        await notifier.PublishAsync(db, new GroundTruthChanged(projectId, [annotation.TaskId], actor.Email), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Removes the flag from the annotation. Returns false if it was not the ground truth.</summary>
    public async Task<bool> UnsetAsync(Actor actor, long annotationId, ChangeSource source, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        var projectId = await Access.EnsureAnnotationAsync(db, actor, annotationId, Role.Reviewer, "change the ground truth", ct);
        var annotation = await ReadLockedAsync(db, annotationId, projectId, ct);
        if (!annotation.GroundTruth)
        {
            return false;
        }
        await WriteAsync(db, $"""
            UPDATE annotations SET ground_truth = FALSE WHERE id = @annotation;
            {InsertChange}
            """, History(annotation.TaskId, annotationId, null, GroundTruthChangeKind.Unset, actor, source), ct);
        await ScoreKeeper.GroundTruthChangedAsync(db, annotation.Settings, [annotation.TaskId], ct);
        await notifier.PublishAsync(db, new GroundTruthChanged(projectId, [annotation.TaskId], actor.Email), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private const string InsertChange = """
        INSERT INTO ground_truth_changes (task_id, annotation_id, previous_annotation_id, kind, source, changed_by, changed_at)
          VALUES (@task, @annotation, @previous, @kind, @source, @by, @at);
        """;

    private static async Task WriteAsync(GroundTruthDbContext db, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken ct)
    {
        await using var write = db.Command(sql, parameters);
        await write.ExecuteNonQueryAsync(ct);
    }

    /// <summary>An annotation as a star finds it once its task is locked, with its task's ground truth and its project's settings.</summary>
    private sealed record LockedAnnotation(long TaskId, bool WasCancelled, bool GroundTruth, long? TaskGroundTruth, ScoringSettings Settings);

    /// <summary>
    /// Locks the annotation's task for this transaction (where the dialect locks rows) and then reads the annotation, in
    /// one round trip: the read is its own statement, so it sees what a writer that held the lock before us committed.
    /// </summary>
    private static async Task<LockedAnnotation> ReadLockedAsync(GroundTruthDbContext db, long annotationId, long projectId, CancellationToken ct)
    {
        var locking = db.Dialect.LockTasks("SELECT task_id FROM annotations WHERE id = @annotation");
        await using var read = db.Command($"""
            {(locking is null ? "" : locking + ";")}
            SELECT a.task_id, a.was_cancelled, a.ground_truth,
              (SELECT g.id FROM annotations g WHERE g.task_id = a.task_id AND g.ground_truth = TRUE),
              (SELECT p.scoring_settings FROM projects p WHERE p.id = @project)
            FROM annotations a WHERE a.id = @annotation
            """, [new("@annotation", annotationId), new("@project", projectId)]);
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (locking is not null)
        {
            await reader.NextResultAsync(ct);
        }
        if (!await reader.ReadAsync(ct))
        {
            throw new NotFoundException("Annotation", annotationId);
        }
        return new LockedAnnotation(reader.GetInt64(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetNullableInt64(3),
            ScoringSettings.FromJson(reader.IsDBNull(4) ? null : reader.GetString(4)));
    }

    /// <summary>
    /// For each selected task, the annotator's latest non-cancelled annotation becomes the ground truth. A dry run
    /// counts what would change and writes nothing; otherwise it runs as a job (see <see cref="StartSetByAnnotatorAsync"/>)
    /// and this waits for its counts.
    /// </summary>
    public async Task<BulkResult> SetByAnnotatorAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection selection, AnnotatorRef annotator, bool dryRun,
        CancellationToken ct = default)
    {
        if (!dryRun)
        {
            return await ResultAsync(await StartSetByAnnotatorAsync(actor, projectId, query, selection, annotator, ct), ct);
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, selection);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "run bulk actions", ct);
        // Resolved only after the access check: another project's user learns nothing about its members.
        var parameters = compiled.Parameters.Append(new("@member", await MemberIdAsync(db, annotator, ct)));
        await db.OpenConnectionAsync(ct);
        await using var dry = db.Command($"{PlanCounts} ({Plan(compiled.Where)}) p", parameters);
        return await ReadCountsAsync(dry, ct);
    }

    /// <summary>
    /// Starts Set Ground Truths as a job and returns it at once. Each chunk applies the rule to its tasks when it runs
    /// (<see cref="SetChunkAsync"/>); the job's result holds the counts so far.
    /// </summary>
    public async Task<Job> StartSetByAnnotatorAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection selection, AnnotatorRef annotator, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // Compiled now so that a bad filter is the caller's error at once, not a failed job.
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, selection);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "run bulk actions", ct);
        var member = await MemberIdAsync(db, annotator, ct);
        var total = await CountAsync(db, compiled, ct);
        return await EnqueueAsync(db, actor, projectId, JobKind.SetGroundTruths, new BulkParameters(query, selection, member), total, ct);
    }

    /// <summary>Unsets the ground truth of every selected task, as a job; waits for it. Returns how many tasks lost one.</summary>
    public async Task<int> DeleteAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection selection, CancellationToken ct = default)
    {
        return (await ResultAsync(await StartDeleteAsync(actor, projectId, query, selection, ct), ct)).Deleted;
    }

    /// <summary>Starts Delete Ground Truths as a job and returns it at once; annotations stay.</summary>
    public async Task<Job> StartDeleteAsync(Actor actor, long projectId, TaskQuery? query, TaskSelection selection, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, projectId, query, selection);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "run bulk actions", ct);
        var total = await CountAsync(db, compiled, ct);
        return await EnqueueAsync(db, actor, projectId, JobKind.DeleteGroundTruths, new BulkParameters(query, selection, null), total, ct);
    }

    /// <summary>A job for a selection of tasks; an empty selection has nothing to do and ends at once, with no job recorded.</summary>
    private async Task<Job> EnqueueAsync(GroundTruthDbContext db, Actor actor, long projectId, JobKind kind, BulkParameters parameters, long total, CancellationToken ct) =>
        total > 0 ? await jobs.EnqueueAsync(db, actor, projectId, kind, parameters, total, ct)
            : new Job { ProjectId = projectId, Kind = kind, State = JobState.Succeeded, Result = JsonSerializer.Serialize(BulkResult.None, JobService.Json) };

    /// <summary>The counts of a bulk job once it has ended.</summary>
    private async Task<BulkResult> ResultAsync(Job job, CancellationToken ct) =>
        JobService.Read<BulkResult>((job.IsActive ? await jobs.WaitAsync(job.Id, ct) : job).Result ?? "{}");

    /// <summary>What a bulk job was asked to do: the Data Manager's query and selection, and for a set, the annotator.</summary>
    internal sealed record BulkParameters(TaskQuery? Query, TaskSelection Selection, long? MemberId);

    /// <summary>
    /// One chunk of Set Ground Truths, in the runner's write transaction: the next tasks of the selection after the
    /// cursor. Set-based: the plan (task, target, previous) is computed by one query into a temporary table, then two
    /// UPDATEs and one INSERT of history rows apply it.
    /// </summary>
    internal async Task<JobStep> SetChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var (chunk, last) = await NextChunkAsync(db, job, size, ct);
        if (chunk is null)
        {
            return new JobStep(job.Cursor, 0, job.Result, Finished: true);
        }
        var member = JobService.Read<BulkParameters>(job.Parameters).MemberId;
        await using (var create = db.Command("CREATE TEMP TABLE IF NOT EXISTS gt_plan (task_id bigint PRIMARY KEY, target bigint, prev bigint); DELETE FROM gt_plan;"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        await LockAsync(db, $"SELECT t.id FROM {chunk.From} WHERE {chunk.Where}", chunk.Parameters, ct);
        await using (var fill = db.Command($"INSERT INTO gt_plan (task_id, target, prev) {Plan(chunk.Where)}", chunk.Parameters.Append(new("@member", member))))
        {
            await fill.ExecuteNonQueryAsync(ct);
        }
        BulkResult counts;
        await using (var count = db.Command($"{PlanCounts} gt_plan"))
        {
            counts = await ReadCountsAsync(count, ct);
        }
        const string changing = "target IS NOT NULL AND (prev IS NULL OR prev <> target)";
        await using (var apply = db.Command($"""
            UPDATE annotations SET ground_truth = FALSE WHERE id IN (SELECT prev FROM gt_plan WHERE {changing} AND prev IS NOT NULL);
            UPDATE annotations SET ground_truth = TRUE WHERE id IN (SELECT target FROM gt_plan WHERE {changing});
            INSERT INTO ground_truth_changes (task_id, annotation_id, previous_annotation_id, kind, source, changed_by, changed_at)
              SELECT task_id, target, prev, CASE WHEN prev IS NULL THEN 'Set' ELSE 'Replaced' END, @source, @by, @at
              FROM gt_plan WHERE {changing} ORDER BY task_id;
            """, HistoryParameters(job.Actor, ChangeSource.BulkAction)))
        {
            await apply.ExecuteNonQueryAsync(ct);
        }
        // Accuracies follow the new ground truths off the score sheets; the agreement only if it leaves the ground truth out.
        var settings = await ScoreKeeper.SettingsAsync(db, job.ProjectId, ct);
        var changed = settings.GroundTruthInAgreement ? [] : await ReadIdsAsync(db, $"SELECT task_id FROM gt_plan WHERE {changing} ORDER BY task_id", [], ct);
        await ScoreKeeper.GroundTruthChangedAsync(db, settings, changed, ct);
        await using (var clear = db.Command("DELETE FROM gt_plan"))
        {
            await clear.ExecuteNonQueryAsync(ct);
        }
        var total = (job.Result is null ? BulkResult.None : JobService.Read<BulkResult>(job.Result)) + counts;
        return new JobStep(last, counts.ProcessedItems, JsonSerializer.Serialize(total, JobService.Json), Finished: counts.ProcessedItems < size);
    }

    /// <summary>One chunk of Delete Ground Truths, in the runner's write transaction.</summary>
    internal async Task<JobStep> DeleteChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var (chunk, last) = await NextChunkAsync(db, job, size, ct);
        if (chunk is null)
        {
            return new JobStep(job.Cursor, 0, job.Result, Finished: true);
        }
        var processed = await CountAsync(db, chunk, ct);
        await LockAsync(db, $"SELECT t.id FROM {CompiledTaskQuery.TasksWithSheets} WHERE {chunk.Where} AND s.has_ground_truth = TRUE", chunk.Parameters, ct);
        // Only an agreement that leaves the ground truth out needs the tasks named; otherwise the trigger does it all.
        var settings = await ScoreKeeper.SettingsAsync(db, job.ProjectId, ct);
        var affected = settings.GroundTruthInAgreement ? []
            : await ReadIdsAsync(db, $"SELECT t.id FROM {CompiledTaskQuery.TasksWithSheets} WHERE {chunk.Where} AND s.has_ground_truth = TRUE ORDER BY t.id", chunk.Parameters, ct);
        await using (var history = db.Command($"""
            INSERT INTO ground_truth_changes (task_id, annotation_id, previous_annotation_id, kind, source, changed_by, changed_at)
              SELECT t.id, s.ground_truth_annotation_id, NULL, 'Unset', @source, @by, @at
              FROM {CompiledTaskQuery.TasksWithSheets} WHERE {chunk.Where} AND s.has_ground_truth = TRUE ORDER BY t.id
            """, chunk.Parameters.Concat(HistoryParameters(job.Actor, ChangeSource.BulkAction))))
        {
            await history.ExecuteNonQueryAsync(ct);
        }
        int deleted;
        await using (var unset = db.Command($"""
            UPDATE annotations SET ground_truth = FALSE
            WHERE id IN (SELECT s.ground_truth_annotation_id FROM {CompiledTaskQuery.TasksWithSheets} WHERE {chunk.Where} AND s.has_ground_truth = TRUE)
            """, chunk.Parameters))
        {
            deleted = await unset.ExecuteNonQueryAsync(ct);
        }
        await ScoreKeeper.GroundTruthChangedAsync(db, settings, affected, ct);
        var total = (job.Result is null ? BulkResult.None : JobService.Read<BulkResult>(job.Result)) + new BulkResult((int)processed, 0, 0, 0, 0, deleted);
        return new JobStep(last, processed, JsonSerializer.Serialize(total, JobService.Json), Finished: processed < size);
    }

    /// <summary>Tells open pages that a bulk job changed ground truths (once, at its end: a page reloads what it shows).</summary>
    internal async Task BulkFinishedAsync(GroundTruthDbContext db, Job job, CancellationToken ct)
    {
        if (job.Result is not null && JobService.Read<BulkResult>(job.Result) is { } result && result.Set + result.Replaced + result.Deleted > 0)
        {
            await notifier.PublishAsync(db, new GroundTruthChanged(job.ProjectId, [], job.CreatedBy), ct);
        }
    }

    /// <summary>
    /// The job's next chunk: its selection narrowed to the first <paramref name="size"/> matching tasks after the cursor,
    /// and the last of them (the next cursor); null when none is left.
    /// </summary>
    private static async Task<(CompiledTaskQuery? Chunk, long Last)> NextChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var parameters = JobService.Read<BulkParameters>(job.Parameters);
        var compiled = TaskQueryCompiler.Compile(db.Dialect, job.ProjectId, parameters.Query, parameters.Selection);
        var after = compiled.Parameters.Append(new("@after", job.Cursor)).ToList();
        await using var next = db.Command($"""
            SELECT MAX(id) FROM (SELECT t.id FROM {compiled.From} WHERE ({compiled.Where}) AND t.id > @after ORDER BY t.id LIMIT {size}) c
            """, after);
        if (await next.ExecuteScalarAsync(ct) is not (long and var last))
        {
            return (null, job.Cursor);
        }
        return (compiled with { Where = $"({compiled.Where}) AND t.id > @after AND t.id <= @last", Parameters = [.. after, new("@last", last)] }, last);
    }

    private static async Task<long> CountAsync(GroundTruthDbContext db, CompiledTaskQuery compiled, CancellationToken ct)
    {
        await db.OpenConnectionAsync(ct);
        await using var count = db.Command($"SELECT COUNT(*) FROM {compiled.From} WHERE {compiled.Where}", compiled.Parameters);
        return Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Plan(string where) => $"""
        SELECT t.id AS task_id,
          (SELECT a.id FROM annotations a
            WHERE a.task_id = t.id AND a.member_id = @member AND a.was_cancelled = FALSE
            ORDER BY a.updated_at DESC, a.id DESC LIMIT 1) AS target,
          s.ground_truth_annotation_id AS prev
        FROM {CompiledTaskQuery.TasksWithSheets} WHERE {where}
        """;

    private const string PlanCounts = """
        SELECT COUNT(*),
          COUNT(*) FILTER (WHERE target IS NOT NULL AND prev IS NULL),
          COUNT(*) FILTER (WHERE target IS NOT NULL AND prev IS NOT NULL AND prev <> target),
          COUNT(*) FILTER (WHERE target = prev),
          COUNT(*) FILTER (WHERE target IS NULL)
        FROM
        """;

    /// <summary>
    /// Every ground truth of the project as a task → annotation pair, in task order: what a script needs to set the same
    /// ground truths elsewhere. With <see cref="IdSource.File"/>, the ids the file gave them (ours where it gave none), so
    /// the pairs name the tasks and annotations of the Label Studio project the file came from. Streamed.
    /// </summary>
    /// <remarks>The access check runs before this returns (a 404 or 403 before any answer is written); the rows as they are read.</remarks>
    public async Task<IAsyncEnumerable<GroundTruthPair>> PairsAsync(Actor actor, long projectId, IdSource ids, CancellationToken ct = default)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see which annotations are ground truths", ct);
        }
        return ReadPairsAsync(projectId, ids, ct);
    }

    private async IAsyncEnumerable<GroundTruthPair> ReadPairsAsync(long projectId, IdSource ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.OpenConnectionAsync(ct);
        var file = ids == IdSource.File;
        await using var read = db.Command($"""
            SELECT {(file ? "COALESCE(t.external_id, t.id)" : "t.id")}, {(file ? "COALESCE(a.external_id, a.id)" : "a.id")}
            FROM {CompiledTaskQuery.TasksWithSheets} JOIN annotations a ON a.id = s.ground_truth_annotation_id
            WHERE s.project_id = @project AND s.has_ground_truth = TRUE ORDER BY s.task_id
            """, [new("@project", projectId)]);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new GroundTruthPair(reader.GetInt64(0), reader.GetInt64(1));
        }
    }

    /// <summary>The task's ground-truth changes, newest first.</summary>
    public async Task<IReadOnlyList<GroundTruthChange>> HistoryAsync(Actor actor, long taskId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // The history names the ground truth's annotations, which annotators are not told (GroundTruthVisibility).
        await Access.EnsureTaskAsync(db, actor, taskId, Role.Reviewer, "see the ground-truth history", ct);
        return await db.GroundTruthChanges.AsNoTracking().Where(c => c.TaskId == taskId).OrderByDescending(c => c.Id).ToListAsync(ct);
    }

    private static async Task<List<long>> ReadIdsAsync(GroundTruthDbContext db, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken ct)
    {
        await using var command = db.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<long>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    /// <summary>
    /// Locks the tasks that <paramref name="ids"/> selects, in id order, until the transaction ends: two writers of the
    /// same task's ground truth then queue instead of both reading the old state. A no-op where the write transaction
    /// already holds the whole database (SQLite).
    /// </summary>
    private static async Task LockAsync(GroundTruthDbContext db, string ids, IEnumerable<KeyValuePair<string, object?>> parameters, CancellationToken ct)
    {
        if (db.Dialect.LockTasks(ids) is not { } sql)
        {
            return;
        }
        await db.OpenConnectionAsync(ct);
        await using var command = db.Command(sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<long> MemberIdAsync(GroundTruthDbContext db, AnnotatorRef annotator, CancellationToken ct)
    {
        if (annotator.Id is not { } memberId)
        {
            var email = EmailAddresses.Normalize(annotator.Email);
            return await db.Members.Where(m => m.Email == email).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct)
                ?? throw new BadInputException($"No annotator has the email '{annotator.Email}'.", "annotator");
        }
        if (!await db.Members.AnyAsync(m => m.Id == memberId, ct))
        {
            throw new NotFoundException("Member", memberId);
        }
        return memberId;
    }

    private static async Task<BulkResult> ReadCountsAsync(System.Data.Common.DbCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new BulkResult(reader.GetCount(0), reader.GetCount(1), reader.GetCount(2), reader.GetCount(3), reader.GetCount(4));
    }

    private KeyValuePair<string, object?>[] History(long taskId, long annotationId, long? previous, GroundTruthChangeKind kind, Actor actor, ChangeSource source) =>
    [
        new("@task", taskId),
        new("@annotation", annotationId),
        new("@previous", previous),
        new("@kind", kind.ToString()),
        .. HistoryParameters(actor, source),
    ];

    private KeyValuePair<string, object?>[] HistoryParameters(Actor actor, ChangeSource source) =>
    [
        new("@source", source.ToString()),
        new("@by", actor.Email),
        new("@at", SqliteTime.Now(time)),
    ];
}
