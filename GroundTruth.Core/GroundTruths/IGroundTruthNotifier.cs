using GroundTruth.Core.Data;

namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// Tells open pages that ground truths changed. In-process on one node (SQLite); across nodes on PostgreSQL with
/// LISTEN/NOTIFY.
/// </summary>
public interface IGroundTruthNotifier
{
    /// <summary>Calls <paramref name="handler"/> for every change in the project until the subscription is disposed.</summary>
    IDisposable Subscribe(long projectId, Func<GroundTruthChanged, Task> handler);

    /// <summary>
    /// Announces <paramref name="change"/> as part of <paramref name="db"/>'s open transaction: subscribers hear of it
    /// once that transaction commits, and never if it rolls back.
    /// </summary>
    Task PublishAsync(GroundTruthDbContext db, GroundTruthChanged change, CancellationToken ct);
}
