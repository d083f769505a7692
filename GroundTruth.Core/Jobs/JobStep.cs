namespace GroundTruth.Core.Jobs;

/// <summary>
/// What one chunk did: where the next starts (<see cref="Cursor"/>), how many tasks it dealt with, the counts so far;
/// with <see cref="WaitsForInput"/>, nothing, since its input has not arrived yet (an import's file still uploading).
/// </summary>
public sealed record JobStep(long Cursor, long Done, string? Result, bool Finished, bool WaitsForInput = false);

/// <summary>One kind of job's work, a chunk at a time, inside the transaction the runner opens and commits.</summary>
public interface IJobHandler
{
    JobKind Kind { get; }

    /// <summary>
    /// Does the next at most <paramref name="size"/> tasks after <see cref="Job.Cursor"/> in <paramref name="db"/>'s open
    /// write transaction, which also records the step: either both commit or neither does.
    /// </summary>
    Task<JobStep> RunChunkAsync(Data.GroundTruthDbContext db, Job job, int size, CancellationToken ct);

    /// <summary>Undoes what must not outlive a cancelled or failed job, in the transaction that ends it.</summary>
    Task AbandonAsync(Data.GroundTruthDbContext db, Job job, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// The job ends (done, or cancelled with what its committed chunks changed): tell open pages, in the transaction
    /// that records the end, with <see cref="Job.Result"/> holding the final counts.
    /// </summary>
    Task FinishedAsync(Data.GroundTruthDbContext db, Job job, CancellationToken ct) => Task.CompletedTask;
}
