using System.Collections.Concurrent;
using System.Collections.Immutable;
using GroundTruth.Core.Data;
using Microsoft.Extensions.Logging;

namespace GroundTruth.Core.GroundTruths;

/// <summary>Subscribers per project in memory; a change reaches them after its commit, off the committing thread, and never throws back.</summary>
public sealed class InProcessGroundTruthNotifier(ILogger<InProcessGroundTruthNotifier> logger) : IGroundTruthNotifier
{
    private readonly ConcurrentDictionary<long, ImmutableList<Func<GroundTruthChanged, Task>>> _subscribers = new();

    public IDisposable Subscribe(long projectId, Func<GroundTruthChanged, Task> handler)
    {
        _subscribers.AddOrUpdate(projectId, _ => [handler], (_, list) => list.Add(handler));
        return new Subscription(() => _subscribers.AddOrUpdate(projectId, _ => [], (_, list) => list.Remove(handler)));
    }

    public Task PublishAsync(GroundTruthDbContext db, GroundTruthChanged change, CancellationToken ct)
    {
        db.AfterCommit(() => Deliver(change));
        return Task.CompletedTask;
    }

    /// <summary>Hands <paramref name="change"/> to this node's subscribers.</summary>
    internal void Deliver(GroundTruthChanged change)
    {
        foreach (var handler in _subscribers.GetValueOrDefault(change.ProjectId) ?? [])
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    await handler(change);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "A ground-truth change subscriber failed.");
                }
            });
        }
    }

    /// <summary>Tells every project's subscribers on this node that changes may have passed them by (<see cref="GroundTruthChanged.Missed"/>).</summary>
    internal void DeliverMissedChanges()
    {
        foreach (var projectId in _subscribers.Keys)
        {
            Deliver(GroundTruthChanged.Missed(projectId));
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
