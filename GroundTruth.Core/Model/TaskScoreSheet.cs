namespace GroundTruth.Core.Model;

/// <summary>
/// A task's scores beside the task: the agreement and lowest accuracy read from its comparisons
/// (<see cref="TaskComparisons"/>), and the ground truth. These are the columns a star, a bulk action and a rescoring
/// write, so they live on this narrow row (56 bytes, four indexes) rather than on the task's with its eleven indexes
/// or beside the comparisons' JSON (0.4 KB a generated task): every change of a ground truth rewrites the whole row.
/// Every task has one (the import writes it with the task). The ground-truth columns are kept by triggers on
/// annotations; the others by every write to the task's results or the project's scoring settings.
/// </summary>
public sealed class TaskScoreSheet
{
    public long TaskId { get; set; }

    /// <summary>The task's project (triggers follow the task's), so that a project's filters and sorts read one index.</summary>
    public long ProjectId { get; set; }

    public bool HasGroundTruth { get; set; }
    public long? GroundTruthAnnotationId { get; set; }

    /// <summary>Agreement between the task's annotations (null with fewer than two).</summary>
    public double? Agreement { get; set; }

    /// <summary>The lowest annotator accuracy against the ground truth (null without one).</summary>
    public double? MinAccuracy { get; set; }
}
