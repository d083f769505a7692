using System.Diagnostics;

namespace GroundTruth.Benchmarks;

/// <summary>Wall time and the process's peak working set while an action runs (sampled every 20 ms).</summary>
internal static class Measure
{
    public static async Task<(TimeSpan Time, long PeakBytes)> RunAsync(Func<Task> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var peak = Environment.WorkingSet;
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
        return (watch.Elapsed, Math.Max(peak, Environment.WorkingSet));
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
