namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// Ground truths changed in a project, after the transaction committed: on the tasks named, or — for a bulk action,
/// <see cref="TaskIds"/> empty — on any number of them. <see cref="MissedChanges"/>: this node may have missed changes
/// (its listener lost the database for a while), so any task may have changed and nobody can be named.
/// </summary>
public sealed record GroundTruthChanged(long ProjectId, IReadOnlyList<long> TaskIds, string ChangedBy, bool MissedChanges = false)
{
    public bool Touches(long taskId) => TaskIds.Count == 0 || TaskIds.Contains(taskId);

    /// <summary>Tells a project's pages to reload what they show: changes may have passed them by.</summary>
    public static GroundTruthChanged Missed(long projectId) => new(projectId, [], "", MissedChanges: true);
}
