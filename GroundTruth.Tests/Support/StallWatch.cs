using System.Diagnostics;

namespace GroundTruth.Tests.Support;

/// <summary>
/// Notices when this test process itself stood still — a garbage collection, a thread pool starved by the other test
/// classes on a loaded two-core CI machine — with a timer that ticks every 10 ms and records each longer pause. A wait
/// timed across such a pause includes time in which nothing of the test ran, whatever it waited for; <see cref="Excluding"/>
/// takes that time out. A wait for a database lock does not stop the timer, so it still counts in full.
/// </summary>
internal sealed class StallWatch : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);
    private readonly List<(long From, long To)> _pauses = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ticking;

    public StallWatch() => _ticking = Task.Run(TickAsync);

    private async Task TickAsync()
    {
        var last = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Tick, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var now = Stopwatch.GetTimestamp();
            if (Stopwatch.GetElapsedTime(last, now) > Pause)
            {
                lock (_pauses)
                {
                    _pauses.Add((last, now));
                }
            }
            last = now;
        }
    }

    /// <summary>The time from <paramref name="from"/> to <paramref name="to"/> (timestamps) less the pauses within it, each but its tick.</summary>
    public TimeSpan Excluding(long from, long to)
    {
        var stood = TimeSpan.Zero;
        lock (_pauses)
        {
            foreach (var (start, end) in _pauses)
            {
                var overlap = Stopwatch.GetElapsedTime(Math.Max(start, from), Math.Min(end, to));
                if (overlap > Tick)
                {
                    stood += overlap - Tick;
                }
            }
        }
        return Stopwatch.GetElapsedTime(from, to) - stood;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _ticking;
        _stop.Dispose();
    }
}
