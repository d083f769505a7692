namespace GroundTruth.Core.Jobs;

/// <summary>How this node runs jobs (<c>GroundTruth:Jobs:*</c>).</summary>
public sealed record JobOptions
{
    /// <summary>How long a claim holds without a chunk renewing it; after that another node may take the job over.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle runner looks for jobs other nodes started or left behind.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a chunk should hold the write lock; the chunk size follows what the last chunk took.</summary>
    public TimeSpan ChunkTarget { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A fixed number of tasks a chunk, instead of sizing chunks by time (tests use it to make jobs long).</summary>
    public int? ChunkSize { get; init; }

    /// <summary>How many jobs this node runs at once; 0 runs none (a node that only serves pages and the API).</summary>
    public int Workers { get; init; } = 2;
}
