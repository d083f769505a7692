using System.Text.Json.Nodes;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Tests.Scoring;

/// <summary>Properties of the comparison on generated results: symmetry, identity, order independence, range.</summary>
public sealed class ResultComparerPropertyTests
{
    private static readonly string[] Labels = ["A", "B", "C"];

    /// <summary>A random result: a choice, some spans, boxes (some rotated), polygons and texts, on a small canvas so they overlap.</summary>
    private static JsonArray Generate(Random rng)
    {
        var items = new JsonArray();
        JsonObject Item(string from, string type, JsonObject value) => new() { ["id"] = $"r{items.Count}", ["from_name"] = from, ["to_name"] = "x", ["type"] = type, ["value"] = value };
        string Label() => Labels[rng.Next(Labels.Length)];
        if (rng.Next(4) > 0)
        {
            items.Add(Item("class", "choices", new JsonObject { ["choices"] = new JsonArray(Label()) }));
        }
        for (var i = rng.Next(4); i > 0; i--)
        {
            var start = rng.Next(30);
            items.Add(Item("ner", "labels", new JsonObject { ["start"] = start, ["end"] = start + 1 + rng.Next(10), ["labels"] = new JsonArray(Label()) }));
        }
        for (var i = rng.Next(4); i > 0; i--)
        {
            items.Add(Item("box", "rectanglelabels", new JsonObject
            {
                ["x"] = rng.Next(20),
                ["y"] = rng.Next(20),
                ["width"] = 5 + rng.Next(10),
                ["height"] = 5 + rng.Next(10),
                ["rotation"] = rng.Next(3) == 0 ? rng.Next(90) : 0,
                ["rectanglelabels"] = new JsonArray(Label()),
            }));
        }
        for (var i = rng.Next(3); i > 0; i--)
        {
            var (x, y) = (rng.Next(20), rng.Next(20));
            items.Add(Item("poly", "polygonlabels", new JsonObject
            {
                ["points"] = new JsonArray(new JsonArray(x, y), new JsonArray(x + 5 + rng.Next(5), y), new JsonArray(x + rng.Next(5), y + 5 + rng.Next(5))),
                ["polygonlabels"] = new JsonArray(Label()),
            }));
        }
        if (rng.Next(3) == 0)
        {
            items.Add(Item("notes", "textarea", new JsonObject { ["text"] = new JsonArray(new string('a', rng.Next(5)) + Label(), Label()) }));
        }
        return items;
    }

    private static string Shuffled(JsonArray items, Random rng) =>
        new JsonArray(items.Select(i => i!.DeepClone()).OrderBy(_ => rng.Next()).ToArray()).ToJsonString();

    [Fact]
    public void Symmetric_identical_order_independent_and_within_range()
    {
        var rng = new Random(20261127);
        for (var run = 0; run < 300; run++)
        {
            var a = Generate(rng);
            var b = Generate(rng);
            var (ja, jb) = (a.ToJsonString(), b.ToJsonString());

            var ab = ResultComparer.Compare(ja, jb).Score;
            var ba = ResultComparer.Compare(jb, ja).Score;
            Assert.InRange(ab, 0, 1);
            Assert.True(Math.Abs(ab - ba) < 1e-9, $"run {run}: score(A, B) = {ab} but score(B, A) = {ba}\nA = {ja}\nB = {jb}");
            Assert.Equal(1, ResultComparer.Compare(ja, ja).Score, 9);
            var shuffled = ResultComparer.Compare(Shuffled(a, rng), Shuffled(b, rng)).Score;
            Assert.True(Math.Abs(ab - shuffled) < 1e-9, $"run {run}: shuffling changed {ab} to {shuffled}\nA = {ja}\nB = {jb}");
        }
    }

    [Fact]
    public void Breakdowns_mirror_when_the_sides_swap()
    {
        var rng = new Random(7);
        for (var run = 0; run < 200; run++)
        {
            var (a, b) = (Generate(rng).ToJsonString(), Generate(rng).ToJsonString());
            var forward = ResultComparer.Compare(a, b).Controls.Where(c => c.Regions is not null).ToDictionary(c => c.FromName, c => c.Regions!.Value);
            var backward = ResultComparer.Compare(b, a).Controls.Where(c => c.Regions is not null).ToDictionary(c => c.FromName, c => c.Regions!.Value);
            foreach (var (control, f) in forward)
            {
                var g = backward[control];
                Assert.Equal((f.Matched, f.Mismatched, f.Missing, f.Extra), (g.Matched, g.Mismatched, g.Extra, g.Missing));
            }
        }
    }
}
