using GroundTruth.Core.Data;
using GroundTruth.Core.Jobs;

namespace GroundTruth.Core.GroundTruths;

/// <summary>Set Ground Truths as a job: each chunk is <see cref="GroundTruthService.SetChunkAsync"/>.</summary>
internal sealed class SetGroundTruthsJob(GroundTruthService groundTruths) : IJobHandler
{
    public JobKind Kind => JobKind.SetGroundTruths;

    public Task<JobStep> RunChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct) => groundTruths.SetChunkAsync(db, job, size, ct);

    public Task FinishedAsync(GroundTruthDbContext db, Job job, CancellationToken ct) => groundTruths.BulkFinishedAsync(db, job, ct);
}

/// <summary>Delete Ground Truths as a job: each chunk is <see cref="GroundTruthService.DeleteChunkAsync"/>.</summary>
internal sealed class DeleteGroundTruthsJob(GroundTruthService groundTruths) : IJobHandler
{
    public JobKind Kind => JobKind.DeleteGroundTruths;

    public Task<JobStep> RunChunkAsync(GroundTruthDbContext db, Job job, int size, CancellationToken ct) => groundTruths.DeleteChunkAsync(db, job, size, ct);

    public Task FinishedAsync(GroundTruthDbContext db, Job job, CancellationToken ct) => groundTruths.BulkFinishedAsync(db, job, ct);
}
