namespace GroundTruth.Core.Model;

/// <summary>One change of a task's ground truth, as recorded in the same transaction as the change.</summary>
public sealed class GroundTruthChange
{
    public long Id { get; set; }
    public long TaskId { get; set; }

    /// <summary>The annotation that became (set, replaced) or stopped being (unset) the ground truth.</summary>
    public long AnnotationId { get; set; }

    /// <summary>For <see cref="GroundTruthChangeKind.Replaced"/>: the annotation that lost the flag.</summary>
    public long? PreviousAnnotationId { get; set; }

    public GroundTruthChangeKind Kind { get; set; }
    public ChangeSource Source { get; set; }
    public string? ChangedBy { get; set; }
    public DateTime ChangedAt { get; set; }
}
