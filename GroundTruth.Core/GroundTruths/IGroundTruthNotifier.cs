namespace GroundTruth.Core.GroundTruths;

/// <summary>
/// Tells open pages that ground truths changed. The in-process implementation serves one machine; on several, a
/// SignalR (or Redis) backplane implements the same interface.
/// </summary>
public interface IGroundTruthNotifier
{
    /// <summary>Calls <paramref name="handler"/> for every change in the project until the subscription is disposed.</summary>
    IDisposable Subscribe(long projectId, Func<GroundTruthChanged, Task> handler);

    void Publish(GroundTruthChanged change);
}
