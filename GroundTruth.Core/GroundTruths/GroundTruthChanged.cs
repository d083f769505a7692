namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// Ground truths changed in a project, after the transaction committed: on the tasks named, or — for a bulk action,
/// <see cref="TaskIds"/> empty — on any number of them.
/// </summary>
public sealed record GroundTruthChanged(long ProjectId, IReadOnlyList<long> TaskIds, string ChangedBy)
{
    public bool Touches(long taskId) => TaskIds.Count == 0 || TaskIds.Contains(taskId);
}
