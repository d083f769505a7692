using System.Text.Encodings.Web;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Jobs;

/// <summary>
/// Starts, reads and cancels jobs. A job's row is its whole state, so every node reads the same progress and any
/// node's runner (<see cref="JobRunner"/>) may run it.
/// </summary>
public sealed class JobService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time, JobSignal signal)
{
    /// <summary>
    /// How job parameters, results and staged import rows are stored. Stored, never put in a page, so without the default
    /// HTML-safe escaping, which wrote each quote of a staged task's raw JSON as <c>\u0022</c>: 3.9 KB a generated task
    /// against 2.7 KB, and twice the time to write and 1.5 times to read (docs/benchmarks.md).
    /// </summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Records a queued job in <paramref name="db"/> (the caller has checked access) and wakes this node's runner; with
    /// <paramref name="uploadFor"/>, an import whose file is still arriving, alive that long unless its upload renews it.
    /// </summary>
    internal async Task<Job> EnqueueAsync(GroundTruthDbContext db, Actor actor, long projectId, JobKind kind, object parameters, long total, CancellationToken ct,
        TimeSpan? uploadFor = null)
    {
        var now = SqliteTime.Now(time);
        var job = new Job
        {
            ProjectId = projectId,
            Kind = kind,
            State = JobState.Queued,
            UploadUntil = now + uploadFor,
            Parameters = JsonSerializer.Serialize(parameters, Json),
            Total = total,
            CreatedByUserId = actor.UserId,
            CreatedBy = actor.Email,
            CreatedByRole = actor.Role,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(ct);
        // Woken before the caller's transaction commits, the runner would find nothing and sleep until its next poll.
        db.AfterCommit(signal.Wake);
        return job;
    }

    /// <summary>
    /// The upload staged more of the job's input: stops the upload (a <see cref="ConflictException"/>) when the job was
    /// cancelled or has ended meanwhile. Once a sixtieth of
    /// <paramref name="uploadFor"/> has passed since <paramref name="renewed"/>, it also keeps the upload alive that long
    /// again; that write waits for a running chunk (which holds the job's row), so it is not made every batch. Returns
    /// when the upload was last kept alive.
    /// </summary>
    internal async Task<DateTime> StagedAsync(GroundTruthDbContext db, long jobId, DateTime renewed, TimeSpan uploadFor, CancellationToken ct)
    {
        var now = SqliteTime.Now(time);
        var renew = now - renewed >= uploadFor / 60;
        var uploading = Uploading(db, jobId);
        var alive = renew
            ? await uploading.ExecuteUpdateAsync(s => s.SetProperty(j => j.UploadUntil, now + uploadFor), ct) == 1
            : await uploading.AnyAsync(ct);
        return alive ? (renew ? now : renewed) : throw UploadStopped(jobId);
    }

    /// <summary>The import's file has all arrived: its job learns its size and the counts it will report, and may finish (at its next look).</summary>
    internal async Task UploadedAsync(GroundTruthDbContext db, long jobId, long total, object result, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(result, Json);
        var ended = await Uploading(db, jobId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.UploadUntil, (DateTime?)null)
            .SetProperty(j => j.Total, total)
            .SetProperty(j => j.Result, json)
            .SetProperty(j => j.UpdatedAt, SqliteTime.Now(time)), ct);
        if (ended != 1)
        {
            throw UploadStopped(jobId);
        }
    }

    /// <summary>
    /// The job, if its file is still arriving and it has not ended. A cancel the runner has not acted on yet does not
    /// stop the upload: the runner ends the job as cancelled, and the upload stops at its next batch.
    /// </summary>
    private static IQueryable<Job> Uploading(GroundTruthDbContext db, long jobId) =>
        db.Jobs.Where(j => j.Id == jobId && j.UploadUntil != null && (j.State == JobState.Queued || j.State == JobState.Running));

    private static ConflictException UploadStopped(long jobId) =>
        new($"Import job {jobId} was cancelled or stopped before its file had all arrived; import the file again.");

    internal static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidOperationException($"Empty {typeof(T).Name}.");

    public async Task<Job> GetAsync(Actor actor, long jobId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var job = await db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct) ?? throw new NotFoundException("Job", jobId);
        await Access.EnsureProjectAsync(db, actor, job.ProjectId, Role.Reviewer, "see jobs", ct);
        return job;
    }

    /// <summary>The project's latest job of these kinds that is still queued or running, for a progress bar; null if none.</summary>
    public async Task<Job?> ActiveAsync(Actor actor, long projectId, IReadOnlyCollection<JobKind> kinds, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see jobs", ct);
        return await db.Jobs.AsNoTracking()
            .Where(j => j.ProjectId == projectId && kinds.Contains(j.Kind) && (j.State == JobState.Queued || j.State == JobState.Running))
            .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Asks the job to stop before its next chunk; what earlier chunks committed stays (an import's tasks go).</summary>
    public async Task CancelAsync(Actor actor, long jobId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var projectId = await db.Jobs.Where(j => j.Id == jobId).Select(j => (long?)j.ProjectId).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Job", jobId);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "cancel jobs", ct);
        await db.Jobs.Where(j => j.Id == jobId && (j.State == JobState.Queued || j.State == JobState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
        signal.Wake();
    }

    /// <summary>
    /// Waits for the job to end, reading its row (so it works whichever node runs it); returns it when it succeeded.
    /// A failed or cancelled job is a <see cref="JobEndedException"/> with its reason.
    /// </summary>
    public async Task<Job> WaitAsync(long jobId, CancellationToken ct = default)
    {
        var pause = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync(ct))
            {
                var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
                if (!job.IsActive)
                {
                    return job.State == JobState.Succeeded ? job : throw new JobEndedException(job);
                }
            }
            await Task.Delay(pause, time, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(250, pause.TotalMilliseconds * 2));
        }
    }
}

/// <summary>A job that was cancelled or failed, for a caller that waited for its result.</summary>
public sealed class JobEndedException(Job job) : UserFacingException(ErrorKind.Conflict,
    job.State == JobState.Cancelled ? $"Job {job.Id} was cancelled after {job.Done:N0} of {job.Total:N0} tasks." : $"Job {job.Id} failed: {job.Error}")
{
    public Job Job { get; } = job;
}
