namespace GroundTruth.Core.Jobs;

/// <summary>Wakes this node's idle runner when a job is started here, so it starts at once instead of at the next poll.</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _wake = new(0);

    public void Wake()
    {
        // One pending wake-up is enough: the runner claims every claimable job before it sleeps again.
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);
}
