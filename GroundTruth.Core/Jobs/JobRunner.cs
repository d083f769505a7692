using System.Diagnostics;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GroundTruth.Core.Jobs;

/// <summary>
/// Runs jobs on this node. It claims one (PostgreSQL: <c>FOR NO KEY UPDATE SKIP LOCKED</c>; SQLite: the claiming UPDATE holds
/// the write lock) with a lease, then runs it a chunk at a time. Each chunk is one short write transaction that first
/// renews the lease — which also locks the job's row, so a node that lost the job stops there — then does the work and
/// advances the job's cursor: the work and the cursor commit together, so a node killed mid-chunk leaves nothing of it
/// and whoever resumes starts at the cursor. Chunks are sized so each holds the write lock about
/// <see cref="JobOptions.ChunkTarget"/>, and a reviewer's star waits at most one chunk.
/// </summary>
public sealed class JobRunner(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time, JobOptions options, JobSignal signal,
    IEnumerable<IJobHandler> handlers, ILogger<JobRunner> logger)
{
    private const int FirstChunk = 500, SmallestChunk = 50, LargestChunk = 50_000;

    /// <summary>How long a job that has caught up with its input (an import's upload) waits before it looks again.</summary>
    private static readonly TimeSpan InputPoll = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<JobKind, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind);

    /// <summary>This process, as the holder of a lease: a restarted process is a new node and waits for the old lease to run out.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private enum Outcome
    {
        Continue,
        WaitsForInput,
        Ended,
        Lost,
    }

    /// <summary>Runs jobs until <paramref name="stopping"/>: <see cref="JobOptions.Workers"/> at a time.</summary>
    public Task RunAsync(CancellationToken stopping) => Task.WhenAll(Enumerable.Range(0, Math.Max(0, options.Workers)).Select(_ => WorkAsync(stopping)));

    /// <summary>Runs every claimable job to its end, then returns: for tools and tests without a host.</summary>
    public async Task RunPendingAsync(CancellationToken ct = default)
    {
        while (await ClaimAsync(ct) is { } id)
        {
            await RunJobAsync(id, ct);
        }
    }

    private async Task WorkAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await ClaimAsync(stopping) is { } id)
                {
                    await RunJobAsync(id, stopping);
                    continue;
                }
                await signal.WaitAsync(options.Poll, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A busy or unreachable database: look again later rather than stop running jobs on this node.
                logger.LogWarning(e, "Claiming a job failed");
                await Task.Delay(options.Poll, time, CancellationToken.None);
            }
        }
    }

    private async Task<long?> ClaimAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.OpenConnectionAsync(ct);
        var now = SqliteTime.Now(time);
        await using var claim = db.Command($"""
            UPDATE jobs SET state = 'Running', lease_owner = @node, lease_until = @until, updated_at = @now
            WHERE id = (SELECT id FROM jobs
                        WHERE state IN ('Queued', 'Running') AND (lease_until IS NULL OR lease_until < @now)
                        ORDER BY id LIMIT 1 {db.Dialect.SkipLocked})
            RETURNING id
            """, [new("@node", Node), new("@until", now + options.Lease), new("@now", now)]);
        return await claim.ExecuteScalarAsync(ct) is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private async Task RunJobAsync(long id, CancellationToken stopping)
    {
        var size = options.ChunkSize ?? FirstChunk;
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            Outcome outcome;
            long done;
            try
            {
                (outcome, done) = await RunChunkAsync(id, size, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutting down: the chunk rolled back; let whoever starts next take the job at once.
                await ReleaseAsync(id);
                throw;
            }
            catch (Exception e) when (UserFacingException.From(e) is { Kind: ErrorKind.Busy })
            {
                // Other writers hold the database: this chunk waits its turn, the job does not fail.
                logger.LogInformation("Job {Job} waits for a busy database", id);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stopping);
                continue;
            }
            catch (Exception e)
            {
                var known = UserFacingException.From(e);
                if (known is null)
                {
                    logger.LogError(e, "Job {Job} failed", id);
                }
                await EndAsync(id, JobState.Failed, known?.Message ?? "An unexpected error stopped it; it has been logged.");
                return;
            }
            if (outcome == Outcome.WaitsForInput)
            {
                try
                {
                    // Not on the signal: that wakes an idle worker for a new job, and this one would take it.
                    await Task.Delay(InputPoll, time, stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    await ReleaseAsync(id);
                    throw;
                }
                continue;
            }
            if (outcome != Outcome.Continue)
            {
                return;
            }
            if (options.ChunkSize is null)
            {
                // Aim the next chunk at the target time by the tasks this one dealt with (fewer than asked when it
                // caught up with an upload), growing at most twofold so one fast chunk cannot overshoot.
                var took = Math.Max(1, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var next = Math.Clamp(done, 1, size) * options.ChunkTarget.TotalMilliseconds / took;
                size = (int)Math.Clamp(Math.Min(next, size * 2.0), SmallestChunk, LargestChunk);
            }
        }
    }

    private async Task<(Outcome, long Done)> RunChunkAsync(long id, int size, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.OpenConnectionAsync(ct);
        await using var tx = await db.Dialect.BeginChunkAsync(db.Database, ct);
        if (!await RenewAsync(db, id, ct))
        {
            return (Outcome.Lost, 0);
        }
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
        var handler = _handlers[job.Kind];
        if (job.CancelRequested)
        {
            await handler.AbandonAsync(db, job, ct);
            await SetEndAsync(db, id, JobState.Cancelled, null, ct);
            // What its committed chunks changed stays: pages hear of it as of a finished job.
            await handler.FinishedAsync(db, job, ct);
            await tx.CommitAsync(ct);
            return (Outcome.Ended, 0);
        }
        var step = await handler.RunChunkAsync(db, job, size, ct);
        if (step.WaitsForInput)
        {
            // Nothing to record but the renewed lease.
            await tx.CommitAsync(ct);
            return (Outcome.WaitsForInput, 0);
        }
        var now = SqliteTime.Now(time);
        var state = step.Finished ? JobState.Succeeded : JobState.Running;
        await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Cursor, step.Cursor)
            .SetProperty(j => j.Done, j => j.Done + step.Done)
            .SetProperty(j => j.Result, step.Result)
            .SetProperty(j => j.State, state)
            .SetProperty(j => j.UpdatedAt, now)
            .SetProperty(j => j.FinishedAt, step.Finished ? now : (DateTime?)null)
            .SetProperty(j => j.LeaseOwner, step.Finished ? null : Node)
            .SetProperty(j => j.LeaseUntil, step.Finished ? null : now + options.Lease), ct);
        if (step.Finished)
        {
            job.Result = step.Result;
            await handler.FinishedAsync(db, job, ct);
        }
        await tx.CommitAsync(ct);
        return (step.Finished ? Outcome.Ended : Outcome.Continue, step.Done);
    }

    /// <summary>Extends this node's lease; false when the job is no longer this node's to run.</summary>
    private async Task<bool> RenewAsync(GroundTruthDbContext db, long id, CancellationToken ct)
    {
        var now = SqliteTime.Now(time);
        return await db.Jobs.Where(j => j.Id == id && j.LeaseOwner == Node && j.State == JobState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, now + options.Lease), ct) == 1;
    }

    private async Task SetEndAsync(GroundTruthDbContext db, long id, JobState state, string? error, CancellationToken ct)
    {
        var now = SqliteTime.Now(time);
        await db.Jobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, state)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.UpdatedAt, now)
            .SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.UploadUntil, (DateTime?)null)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseUntil, (DateTime?)null), ct);
    }

    /// <summary>Ends a job this node holds, undoing what its kind must not leave behind.</summary>
    private async Task EndAsync(long id, JobState state, string error)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.OpenConnectionAsync(CancellationToken.None);
        await using var tx = await db.Dialect.BeginWriteAsync(db.Database, CancellationToken.None);
        if (!await RenewAsync(db, id, CancellationToken.None))
        {
            return;
        }
        var job = await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
        await _handlers[job.Kind].AbandonAsync(db, job, CancellationToken.None);
        await SetEndAsync(db, id, state, error, CancellationToken.None);
        await tx.CommitAsync();
    }

    private async Task ReleaseAsync(long id)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync();
            await db.Jobs.Where(j => j.Id == id && j.LeaseOwner == Node).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, (DateTime?)null));
        }
        catch (Exception e) when (UserFacingException.From(e) is not null)
        {
            // The lease runs out by itself.
        }
    }
}
