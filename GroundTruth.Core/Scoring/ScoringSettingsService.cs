using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// A project's scoring settings. Changing them rescores the whole project as a job (<see cref="RescoreJob"/>), a chunk
/// per transaction so reviewers are never blocked for long, with its progress in the job's row; a newer change cancels
/// a rescoring still running.
/// </summary>
public sealed class ScoringSettingsService(IDbContextFactory<GroundTruthDbContext> factory, JobService jobs, TimeProvider time)
{
    public async Task<(ScoringSettings Settings, RecomputeProgress Progress)> GetAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see scoring settings", ct);
        var latest = await LatestRescoreAsync(db, projectId, ct);
        return (await ScoreKeeper.SettingsAsync(db, projectId, ct), latest is null ? new RecomputeProgress(0, 0, false) : Progress(latest));
    }

    /// <summary>Stores the settings and starts rescoring the project; returns at once.</summary>
    public async Task<RecomputeProgress> UpdateAsync(Actor actor, long projectId, ScoringSettings settings, CancellationToken ct = default)
    {
        settings.Validate();
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "change scoring settings", ct);
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, ct);
        // The older settings' rescoring stops before its next chunk; this one redoes every task anyway. Its job row is
        // locked before the project's, in the order a rescoring chunk takes them, so the two cannot deadlock.
        await db.Jobs.Where(j => j.ProjectId == projectId && j.Kind == JobKind.Rescore && (j.State == JobState.Queued || j.State == JobState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        await db.Projects.Where(p => p.Id == projectId).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScoringSettings, settings.ToJson()), ct);
        var total = await db.Tasks.LongCountAsync(t => t.ProjectId == projectId, ct);
        var job = await jobs.EnqueueAsync(db, actor, projectId, JobKind.Rescore, new { }, total, ct);
        await tx.CommitAsync(ct);
        return Progress(job);
    }

    /// <summary>Completes when the project's rescoring has finished (at once if none runs).</summary>
    public async Task WhenIdleAsync(long projectId, CancellationToken ct = default)
    {
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                if (await LatestRescoreAsync(db, projectId, ct) is not { IsActive: true })
                {
                    return;
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(25), time, ct);
        }
    }

    private static Task<Job?> LatestRescoreAsync(GroundTruthDbContext db, long projectId, CancellationToken ct) =>
        db.Jobs.AsNoTracking().Where(j => j.ProjectId == projectId && j.Kind == JobKind.Rescore && !j.CancelRequested)
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);

    private static RecomputeProgress Progress(Job job) => new((int)job.Done, (int)job.Total, job.IsActive, job.Error);
}

/// <summary>Rescoring a project as a job: each chunk recomputes the score sheets of the next tasks by id.</summary>
internal sealed class RescoreJob(IDbContextFactory<GroundTruthDbContext> factory) : IJobHandler
{
    public JobKind Kind => JobKind.Rescore;

    public async Task<JobStep> RunChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct)
    {
        var ids = await db.Tasks.Where(t => t.ProjectId == job.ProjectId && t.Id > job.Cursor).OrderBy(t => t.Id).Select(t => t.Id).Take(size).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return new JobStep(job.Cursor, 0, null, Finished: true);
        }
        // The chunk changes no result, so the results can be read beside its transaction.
        await using var reads = db.Dialect.ReadsBesideWrites ? await factory.CreateDbContextAsync(ct) : null;
        await ScoreKeeper.RecomputeAsync(db, await ScoreKeeper.LockedSettingsAsync(db, job.ProjectId, ct), ids, ct, reads: reads);
        return new JobStep(ids[^1], ids.Count, null, Finished: ids.Count < size);
    }
}
