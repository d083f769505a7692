using System.Diagnostics;
using System.Text.Json.Nodes;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Benchmarks;

/// <summary>Pairs scored per second on one core for typical results: 1 choice, 5 spans, 10 boxes, 3 polygons.</summary>
internal static class ComparerBenchmark
{
    public static IEnumerable<(string Name, double PairsPerSecond)> Run(int runs)
    {
        var rng = new Random(3);
        foreach (var (name, make) in new (string, Func<Random, JsonArray>)[]
        {
            ("1 choice", r => [Item("class", "choices", new JsonObject { ["choices"] = new JsonArray(r.Next(2) == 0 ? "Pos" : "Neg") })]),
            ("5 spans", r => [.. Enumerable.Range(0, 5).Select(i => (JsonNode)Item("ner", "labels", new JsonObject { ["start"] = (i * 20) + r.Next(3), ["end"] = (i * 20) + 10 + r.Next(3), ["labels"] = new JsonArray(r.Next(2) == 0 ? "PER" : "LOC") }))]),
            ("10 boxes", r => [.. Enumerable.Range(0, 10).Select(i => (JsonNode)Item("box", "rectanglelabels", new JsonObject { ["x"] = (i % 5 * 20) + r.NextDouble(), ["y"] = (i / 5 * 50) + r.NextDouble(), ["width"] = 15, ["height"] = 30, ["rotation"] = 0, ["rectanglelabels"] = new JsonArray("Car") }))]),
            ("3 polygons", r => [.. Enumerable.Range(0, 3).Select(i => (JsonNode)Item("poly", "polygonlabels", new JsonObject { ["points"] = new JsonArray(new JsonArray(i * 30, 0), new JsonArray((i * 30) + 20 + r.NextDouble(), 0), new JsonArray((i * 30) + 20, 20), new JsonArray(i * 30, 20 + r.NextDouble())), ["polygonlabels"] = new JsonArray("Lake") }))]),
        })
        {
            var pairs = Enumerable.Range(0, 64).Select(_ => (ParsedResult.Parse(make(rng).ToJsonString()), ParsedResult.Parse(make(rng).ToJsonString()))).ToArray();
            yield return (name, PerSecond(runs, pairs, pair => ResultComparer.Compare(pair.Item1, pair.Item2, ScoringSettings.Default)));
        }
    }

    /// <summary>
    /// Score sheets per second on one core for the generated tasks (3 annotations, 1 prediction), from the stored text:
    /// parsing, comparing, agreement and lowest accuracy, and the sheet's JSON, as the import and a rescoring do per task;
    /// and the bytes that allocates a task (the collector's work, which an import or rescoring pays on top).
    /// </summary>
    public static (double PerSecond, double BytesPerTask) Sheets(int runs)
    {
        var rng = new Random(5);
        var tasks = Enumerable.Range(0, 64).Select(t => (
            Annotations: Enumerable.Range(1, 3).Select(a => new ScoredAnnotation(a, false, a == 1, BenchmarkData.Result(rng))).ToList(),
            Predictions: new List<ScoredPrediction> { new(1, BenchmarkData.Result(rng)) })).ToArray();
        void Score((List<ScoredAnnotation> Annotations, List<ScoredPrediction> Predictions) task)
        {
            var sheet = ScoreSheet.Compute(task.Annotations, task.Predictions, ScoringSettings.Default);
            _ = (sheet.ToJson(), sheet.Agreement(ScoringSettings.Default, 1), sheet.MinAccuracy(1));
        }
        var perSecond = PerSecond(runs, tasks, Score);
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var task in tasks)
        {
            Score(task);
        }
        return (perSecond, (double)(GC.GetAllocatedBytesForCurrentThread() - before) / tasks.Length);
    }

    /// <summary>The median over <paramref name="runs"/> seconds of how many items <paramref name="work"/> gets through in one.</summary>
    private static double PerSecond<T>(int runs, T[] items, Action<T> work)
    {
        var rates = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var count = 0;
            while (watch.ElapsedMilliseconds < 1000)
            {
                foreach (var item in items)
                {
                    work(item);
                }
                count += items.Length;
            }
            rates.Add(count / watch.Elapsed.TotalSeconds);
        }
        return Measure.Median(rates);
    }

    private static JsonObject Item(string from, string type, JsonObject value) => new() { ["from_name"] = from, ["to_name"] = "x", ["type"] = type, ["value"] = value };
}
