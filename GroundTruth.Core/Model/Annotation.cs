namespace GroundTruth.Core.Model;

/// <summary>
/// One member's labeling of a task. <see cref="Result"/> is the Label Studio result list, verbatim; it and
/// <see cref="Extra"/> are stored in their own table (<c>annotation_results</c>) so that the rows a ground-truth change
/// rewrites stay narrow. Accuracy against the ground truth is read off the task's <see cref="TaskScoreSheet"/>.
/// </summary>
public sealed class Annotation
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public long MemberId { get; set; }
    public Member? Member { get; set; }
    public long? ExternalId { get; set; }
    public required string Result { get; set; }
    public bool WasCancelled { get; set; }

    /// <summary>Written only by <c>GroundTruthService</c> and the importer; at most one per task (partial unique index).</summary>
    public bool GroundTruth { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public double? LeadTime { get; set; }

    /// <summary>
    /// Fields of the imported object this model does not know, as a JSON object, written back on export; also those it owns
    /// but keeps as the file said them (<see cref="ImportExport.FileFields"/>), written back when an export asks for the file's ids.
    /// </summary>
    public string? Extra { get; set; }
}
