using GroundTruth.Core.Data;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// An import as a job. Each chunk writes the next staged rows (<see cref="ImportRow"/>) as tasks of a hidden staging
/// project (<see cref="Model.Project.ImportForProjectId"/>), scored as they are written, and deletes the rows, while the
/// upload stages more; once the whole file has arrived and been written, the last chunk moves every task into the
/// project at once. Until then no page, query or statistic sees any of them, and a
/// cancelled or failed import deletes the staging project with everything in it.
/// </summary>
internal sealed class ImportJob(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time, JobService jobs) : IJobHandler
{
    /// <summary>The job's parameters: where its tasks wait until the last chunk.</summary>
    public sealed record Parameters(long StagingProjectId);

    public JobKind Kind => JobKind.Import;

    public async Task<JobStep> RunChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var staging = JobService.Read<Parameters>(job.Parameters).StagingProjectId;
        var settings = await ScoreKeeper.LockedSettingsAsync(db, job.ProjectId, ct);
        // The cursor as the column's own type: compared as bigint, the position would be cast and its key not searched.
        var after = checked((int)job.Cursor);
        var rows = await db.ImportRows.AsNoTracking().Where(r => r.JobId == job.Id && r.Position > after)
            .OrderBy(r => r.Position).Take(size).ToListAsync(ct);
        if (rows.Count == 0 && job.UploadUntil is { } uploading)
        {
            // Ahead of the upload: wait for its next rows, unless it went quiet (its node died, say).
            return uploading > SqliteTime.Now(time)
                ? new JobStep(job.Cursor, 0, job.Result, Finished: false, WaitsForInput: true)
                : throw new ConflictException("The file stopped arriving before its end; import it again.");
        }
        if (rows.Count == 0)
        {
            await PublishAsync(db, job, staging, ct);
            return new JobStep(job.Cursor, 0, job.Result, Finished: true);
        }
        List<(long Position, ImportedTask Task)> tasks = rows.ConvertAll(r => ((long)r.Position, JobService.Read<ImportedTask>(r.Task)));
        var last = rows[^1].Position;
        var writer = new TaskWriter(db, staging, job.CreatedBy, SqliteTime.Now(time), settings);
        if (db.Dialect.WritesOnTwoConnections && tasks.Count >= 2)
        {
            await WriteInHalvesAsync(writer, db, job, staging, settings, tasks, after, ct);
        }
        else
        {
            await writer.WriteAsync(tasks, ct);
            await DeleteStagedAsync(db, job.Id, after, last, ct);
        }
        // Positions run 1, 2, 3, … with no gap: every one up to the last is now written, some of them perhaps by the
        // committed first half of an earlier attempt at this chunk (see WriteInHalvesAsync).
        return new JobStep(last, last - after, job.Result, Finished: false);
    }

    /// <summary>
    /// Writes the chunk's first half in a transaction of its own on a second connection and its second half beside it in
    /// the job's transaction, committed just after: two backends take the rows. Each half deletes its staged rows with its
    /// writes, so whatever commits is done and whatever does not stays staged for the next attempt. The half that may
    /// commit alone is the first, so what is written is always a prefix of the file and ids keep the file's order. After
    /// an import's upload its chunks ran on one backend and one of the machine's two cores was mostly idle: at 100k on
    /// PostgreSQL 28.7-29.7 s instead of 30.5-34.4 s.
    /// </summary>
    private async Task WriteInHalvesAsync(TaskWriter writer, GroundTruthDbContext db, Job job, long staging, ScoringSettings settings,
        List<(long Position, ImportedTask Task)> tasks, int after, CancellationToken ct)
    {
        await using var side = await factory.CreateDbContextAsync(ct);
        await side.OpenConnectionAsync(ct);
        var sideWriter = new TaskWriter(side, staging, job.CreatedBy, SqliteTime.Now(time), settings);
        // Outside a transaction: the annotators it adds are committed at once, so the rows of both halves may point at them.
        var keys = await sideWriter.ReserveAsync(tasks, ct);
        var half = tasks.Count / 2;
        var (middle, last) = ((int)tasks[half - 1].Position, (int)tasks[^1].Position);
        await using var sideTransaction = await side.Dialect.BeginChunkAsync(side.Database, ct);
        var first = Task.Run(async () =>
        {
            await sideWriter.WriteAsync(tasks[..half], keys.Slice(tasks, 0, half), ct);
            await DeleteStagedAsync(side, job.Id, after, middle, ct);
        }, ct);
        try
        {
            await writer.WriteAsync(tasks[half..], keys.Slice(tasks, half, tasks.Count - half), ct);
            await DeleteStagedAsync(db, job.Id, middle, last, ct);
        }
        finally
        {
            await first.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await first;
        await sideTransaction.CommitAsync(ct);
    }

    private static Task DeleteStagedAsync(GroundTruthDbContext db, long jobId, int after, int last, CancellationToken ct) =>
        db.ImportRows.Where(r => r.JobId == jobId && r.Position > after && r.Position <= last).ExecuteDeleteAsync(ct);

    /// <summary>The tasks join the project, numbered after its own, all in one statement: users see all of them or none.</summary>
    private async Task PublishAsync(GroundTruthDbContext db, Job job, long staging, CancellationToken ct)
    {
        await using (var last = db.Command("SELECT COALESCE(MAX(inner_id), 0) FROM tasks WHERE project_id = @project", [new("@project", job.ProjectId)]))
        {
            var after = await last.ScalarLongAsync(ct);
            await using var move = db.Command("UPDATE tasks SET project_id = @project, inner_id = inner_id + @after WHERE project_id = @staging",
                [new("@project", job.ProjectId), new("@after", after), new("@staging", staging)]);
            await move.ExecuteNonQueryAsync(ct);
        }
        await db.Projects.IgnoreQueryFilters().Where(p => p.Id == staging).ExecuteDeleteAsync(ct);
        if (db.Dialect.AnalyzeTaskTables is { } analyze)
        {
            await using var statistics = db.Command(analyze);
            await statistics.ExecuteNonQueryAsync(ct);
        }
        // Settings changed while the import ran (each change starts a rescoring): the early chunks scored by the old ones.
        if (await db.Jobs.AnyAsync(j => j.ProjectId == job.ProjectId && j.Kind == JobKind.Rescore && j.Id > job.Id, ct))
        {
            var total = await db.Tasks.LongCountAsync(t => t.ProjectId == job.ProjectId, ct);
            await jobs.EnqueueAsync(db, job.Actor, job.ProjectId, JobKind.Rescore, new { }, total, ct);
        }
    }

    public Task AbandonAsync(GroundTruthDbContext db, Job job, CancellationToken ct) => DeleteStagingAsync(db, job, ct);

    /// <summary>Deletes what the import staged: its rows, and its hidden project with the tasks written so far.</summary>
    public static async Task DeleteStagingAsync(GroundTruthDbContext db, Job job, CancellationToken ct)
    {
        var staging = JobService.Read<Parameters>(job.Parameters).StagingProjectId;
        await db.ImportRows.Where(r => r.JobId == job.Id).ExecuteDeleteAsync(ct);
        await db.Projects.IgnoreQueryFilters().Where(p => p.Id == staging).ExecuteDeleteAsync(ct);
        // Annotators its chunks added, now with no annotation anywhere.
        await db.Members.Where(m => !db.Annotations.Any(a => a.MemberId == m.Id)).ExecuteDeleteAsync(ct);
    }
}
