namespace GroundTruth.Core.Model;

/// <summary>
/// A task's stored score sheet (<see cref="Scoring.ScoreSheet"/> as JSON): every annotation against every other one and
/// every prediction, kept current by every write to the task's results or the project's scoring settings.
/// </summary>
public sealed class TaskScoreSheet
{
    public long TaskId { get; set; }
    public required string Scores { get; set; }
}
