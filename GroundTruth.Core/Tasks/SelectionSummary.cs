namespace GroundTruth.Core.Tasks;

/// <summary>
/// What a selection holds, for the bulk-action dialogs: how many tasks, how many of them have a ground truth, and each
/// annotator with the number of selected tasks they annotated (not cancelled), most first.
/// </summary>
public sealed record SelectionSummary(int Tasks, int WithGroundTruth, IReadOnlyList<AnnotatorCount> Annotators);

/// <summary>An annotator and how many of the selected tasks they annotated.</summary>
public sealed record AnnotatorCount(MemberRef Member, int Tasks);
