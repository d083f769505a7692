using System.Text.Json;

namespace GroundTruth.Core.Tasks;

/// <summary>A member as shown next to their work.</summary>
public sealed record MemberRef(long Id, string Email, string DisplayName);

/// <summary>A task as the grid shows it: one property per column of <see cref="TaskColumns"/> that a page reads.</summary>
public sealed record TaskRow(
    long Id,
    long InnerId,
    JsonElement Data,
    int TotalAnnotations,
    int CancelledAnnotations,
    int TotalPredictions,
    bool GroundTruth,
    long? GroundTruthAnnotation,
    MemberRef? GroundTruthBy,
    IReadOnlyList<MemberRef> Annotators,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    double? Agreement,
    double? Accuracy)
{
    /// <summary>When the last annotation that was not cancelled was made (Label Studio's <c>completed_at</c>).</summary>
    public DateTime? CompletedAt { get; init; }

    /// <summary>The mean score of the task's predictions.</summary>
    public double? PredictionScore { get; init; }
}

/// <summary>
/// One page of a task query and the total number of tasks it matches; when asked for, also the annotations and
/// predictions of all of them (Label Studio's task list answers them).
/// </summary>
public sealed record TaskPage(int Total, IReadOnlyList<TaskRow> Tasks, long? TotalAnnotations = null, long? TotalPredictions = null);
