namespace GroundTruth.Core.Model;

/// <summary>
/// A Label Studio export snapshot: the project's Label Studio JSON, built by a job a chunk of tasks at a time into
/// <see cref="ExportPart"/> rows, then downloaded (as JSON, or converted to a flat format) as often as wanted. It lives
/// in the database, so any node serves it.
/// </summary>
public sealed class ExportSnapshot
{
    public long Id { get; set; }
    public long ProjectId { get; set; }

    /// <summary>The job building it; null once that job row is gone.</summary>
    public long? JobId { get; set; }

    public required string Title { get; set; }

    /// <summary>Label Studio's status: created, in_progress, failed, completed.</summary>
    public required string Status { get; set; }

    /// <summary>Label Studio's task and annotation filter options as asked, JSON.</summary>
    public string Options { get; set; } = "{}";

    public long? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    public int TaskCount { get; set; }
    public int AnnotationCount { get; set; }
    public int PredictionCount { get; set; }
}

/// <summary>One chunk of a snapshot: the JSON of a run of tasks, comma-separated, without the array's brackets.</summary>
public sealed class ExportPart
{
    public long SnapshotId { get; set; }
    public int Position { get; set; }
    public required string Content { get; set; }
}
