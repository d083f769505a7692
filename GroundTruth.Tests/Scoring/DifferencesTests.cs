using GroundTruth.Core.Scoring;

namespace GroundTruth.Tests.Scoring;

/// <summary>What compare mode colours: each region paired as the score pairs it, classifications value by value.</summary>
public sealed class DifferencesTests
{
    private static string Box(string id, double x, string label) =>
        $$$"""{"id": "{{{id}}}", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "value": {"x": {{{x}}}, "y": 10, "width": 10, "height": 10, "rotation": 0, "rectanglelabels": ["{{{label}}}"]}}""";

    private static string Choice(string value) =>
        $$$"""{"from_name": "kind", "to_name": "image", "type": "choices", "value": {"choices": ["{{{value}}}"]}}""";

    [Fact]
    public void Regions_are_matched_wrong_label_missing_or_extra()
    {
        var groundTruth = ParsedResult.Parse($"[{Box("g1", 0, "Car")}, {Box("g2", 30, "Person")}, {Box("g3", 60, "Tree")}, {Choice("Street")}]");
        var other = ParsedResult.Parse($"[{Box("o1", 1, "Car")}, {Box("o2", 30, "Truck")}, {Box("o3", 85, "Dog")}, {Choice("Park")}]");

        var differences = ResultComparer.Differences(groundTruth, other, new ScoringSettings());

        Assert.Equal(
            [
                new RegionDifference("box", DifferenceKind.Matched, "g1", "o1", "Car", "Car"),
                new RegionDifference("box", DifferenceKind.WrongLabel, "g2", "o2", "Person", "Truck"),
                new RegionDifference("box", DifferenceKind.Missing, "g3", null, "Tree", null),
                new RegionDifference("box", DifferenceKind.Extra, null, "o3", null, "Dog"),
                new RegionDifference("kind", DifferenceKind.WrongLabel, null, null, "Street", "Park"),
            ],
            differences);
    }

    [Fact]
    public void A_box_shifted_below_the_threshold_is_missing_and_extra_not_matched()
    {
        // Overlap of two 10×10 boxes 6 apart: 40 / 160 = 0.25 < 0.5.
        var differences = ResultComparer.Differences(ParsedResult.Parse($"[{Box("g", 0, "Car")}]"), ParsedResult.Parse($"[{Box("o", 6, "Car")}]"), new ScoringSettings());

        Assert.Equal([DifferenceKind.Missing, DifferenceKind.Extra], differences.Select(d => d.Kind));
    }

    [Fact]
    public void Identical_results_are_all_matched()
    {
        var result = ParsedResult.Parse($"[{Box("a", 0, "Car")}, {Choice("Street")}]");
        Assert.All(ResultComparer.Differences(result, result, new ScoringSettings()), d => Assert.Equal(DifferenceKind.Matched, d.Kind));
    }
}
