namespace GroundTruth.Core.Model;

/// <summary>
/// A task's stored comparisons: its <see cref="Scoring.ScoreSheet"/> as JSON, every annotation against every other one
/// and every prediction. Written only when results or scoring settings change; a change of ground truth reads it (the
/// new lowest accuracy) but writes only the task's narrow <see cref="TaskScoreSheet"/>. Every task has one.
/// </summary>
public sealed class TaskComparisons
{
    public long TaskId { get; set; }

    public required string Scores { get; set; }
}
