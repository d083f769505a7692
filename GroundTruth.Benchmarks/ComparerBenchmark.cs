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
            var rates = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                var count = 0;
                while (watch.ElapsedMilliseconds < 1000)
                {
                    foreach (var (a, b) in pairs)
                    {
                        ResultComparer.Compare(a, b, ScoringSettings.Default);
                    }
                    count += pairs.Length;
                }
                rates.Add(count / watch.Elapsed.TotalSeconds);
            }
            yield return (name, Measure.Median(rates));
        }
    }

    private static JsonObject Item(string from, string type, JsonObject value) => new() { ["from_name"] = from, ["to_name"] = "x", ["type"] = type, ["value"] = value };
}
