using System.Diagnostics;

namespace GroundTruth.Benchmarks;

/// <summary>
/// Wall time, and the process's working set when an action starts and at its peak (sampled every 20 ms): the growth is
/// what the action itself needs, whatever earlier measurements left behind.
/// </summary>
internal static class Measure
{
    public static async Task<(TimeSpan Time, long PeakBytes, long StartBytes)> RunAsync(Func<Task> action)
    {
        // Aggressive: the server GC keeps the heap an earlier measurement grew (the SQLite import before PostgreSQL's)
        // committed, and only this mode gives it back, so the start and peak are this action's own.
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var start = Environment.WorkingSet;
        var peak = start;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Environment.WorkingSet);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var watch = Stopwatch.StartNew();
        await action();
        watch.Stop();
        await stop.CancelAsync();
        await sampler;
        return (watch.Elapsed, Math.Max(peak, Environment.WorkingSet), start);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static async Task<double> MedianMsAsync(int runs, Func<Task> action)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }
}
