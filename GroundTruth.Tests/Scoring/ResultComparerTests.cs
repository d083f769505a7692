using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Tests.Scoring;

/// <summary>Hand-computed comparisons for every comparer, the edge cases the definition names, and malformed values.</summary>
public sealed class ResultComparerTests
{
    private static JsonObject Item(string from, string type, JsonObject value, string? id = null, string? parent = null)
    {
        var item = new JsonObject { ["from_name"] = from, ["to_name"] = "x", ["type"] = type, ["value"] = value };
        if (id is not null)
        {
            item["id"] = id;
        }
        if (parent is not null)
        {
            item["parentID"] = parent;
        }
        return item;
    }

    private static string Result(params JsonObject[] items) => new JsonArray(items).ToJsonString();

    private static JsonObject Choices(params string[] choices) => Item("class", "choices", new JsonObject { ["choices"] = new JsonArray(choices.Select(c => (JsonNode)c).ToArray()) });

    private static JsonObject Box(double x, double y, double w, double h, string label = "Car", double rotation = 0, string? id = null) =>
        Item("box", "rectanglelabels", new JsonObject { ["x"] = x, ["y"] = y, ["width"] = w, ["height"] = h, ["rotation"] = rotation, ["rectanglelabels"] = new JsonArray(label) }, id);

    private static JsonObject Span(int start, int end, string label) =>
        Item("ner", "labels", new JsonObject { ["start"] = start, ["end"] = end, ["labels"] = new JsonArray(label) });

    private static double Score(string a, string b, ScoringSettings? settings = null) => ResultComparer.Compare(a, b, settings).Score;

    private static RegionCounts Counts(string a, string b) => ResultComparer.Compare(a, b).Controls.Single().Regions!.Value;

    [Fact]
    public void Single_choice_is_all_or_nothing_and_multi_choice_is_jaccard()
    {
        Assert.Equal(1, Score(Result(Choices("Pos")), Result(Choices("Pos"))));
        Assert.Equal(0, Score(Result(Choices("Pos")), Result(Choices("Neg"))));
        Assert.Equal(1.0 / 3, Score(Result(Choices("A", "B")), Result(Choices("B", "C"))), 6);
    }

    [Fact]
    public void A_choice_given_twice_counts_once_however_many_choices_there_are()
    {
        // A few choices are compared in place, many through hash sets: both count a value once.
        Assert.Equal(1.0 / 3, Score(Result(Choices("A", "A", "B")), Result(Choices("B", "C", "C", "B"))), 6);
        var many = Enumerable.Range(0, 12).Select(i => $"L{i}").ToArray();
        Assert.Equal(12.0 / 13, Score(Result(Choices([.. many, .. many])), Result(Choices([.. many, "Extra"]))), 6);
        Assert.Equal(1, Score(Result(Choices()), Result(Choices())));
    }

    [Fact]
    public void Taxonomy_paths_are_compared_as_lists_of_steps()
    {
        JsonObject Taxonomy(params string[][] paths) => Item("tax", "taxonomy", new JsonObject { ["taxonomy"] = new JsonArray(paths.Select(p => (JsonNode)new JsonArray(p.Select(x => (JsonNode)x).ToArray())).ToArray()) });

        // One step named "A / B" is not the path A → B.
        Assert.Equal(0, Score(Result(Taxonomy(["A / B"])), Result(Taxonomy(["A", "B"]))));
        Assert.Equal(0, Score(Result(Taxonomy(["A\\", "B"])), Result(Taxonomy(["A\\/ B"]))));
        Assert.Equal(1, Score(Result(Taxonomy(["A / B"])), Result(Taxonomy(["A / B"]))));
        Assert.Equal(1, Score(Result(Taxonomy(["A", "B"])), Result(Taxonomy(["A", "B"]))));
    }

    [Fact]
    public void Ratings_and_numbers_compare_as_numbers_not_as_spelled()
    {
        static string Rating(string raw) => $$$"""[{"from_name":"r","to_name":"x","type":"rating","value":{"rating":{{{raw}}}}}]""";
        static string Number(string raw) => $$$"""[{"from_name":"n","to_name":"x","type":"number","value":{"number":{{{raw}}}}}]""";

        Assert.Equal(1, Score(Rating("4"), Rating("4.0")));
        Assert.Equal(1, Score(Rating("4"), Rating("4e0")));
        Assert.Equal(0, Score(Rating("4"), Rating("4.5")));
        Assert.Equal(1, Score(Number("7"), Number("7.00")));
    }

    [Fact]
    public void Text_similarity_counts_code_points_as_Label_Studio_does()
    {
        // "a😀" is two characters (the emoji is one code point, two UTF-16 units): one deletion in two is 0.5, not 1/3.
        Assert.Equal(0.5, TextSimilarity.Similarity("a😀", "a"), 10);
        Assert.Equal(1, TextSimilarity.Levenshtein("😀", "😃"));
        Assert.Equal(0.5, TextSimilarity.CharacterErrorRate("a😀", "a"), 10);
    }

    [Fact]
    public void Taxonomy_rating_datetime_and_pairwise_compare_as_sets()
    {
        JsonObject Taxonomy(params string[][] paths) => Item("tax", "taxonomy", new JsonObject { ["taxonomy"] = new JsonArray(paths.Select(p => (JsonNode)new JsonArray(p.Select(x => (JsonNode)x).ToArray())).ToArray()) });
        Assert.Equal(0.5, Score(Result(Taxonomy(["Animal", "Cat"])), Result(Taxonomy(["Animal", "Cat"], ["Animal", "Dog"]))));
        Assert.Equal(0, Score(Result(Taxonomy(["Animal", "Cat"])), Result(Taxonomy(["Animal"]))));
        Assert.Equal(1, Score(Result(Item("r", "rating", new JsonObject { ["rating"] = 4 })), Result(Item("r", "rating", new JsonObject { ["rating"] = 4 }))));
        Assert.Equal(0, Score(Result(Item("r", "rating", new JsonObject { ["rating"] = 4 })), Result(Item("r", "rating", new JsonObject { ["rating"] = 3 }))));
        Assert.Equal(1, Score(Result(Item("d", "datetime", new JsonObject { ["datetime"] = "2025-01-01" })), Result(Item("d", "datetime", new JsonObject { ["datetime"] = "2025-01-01" }))));
        Assert.Equal(0, Score(Result(Item("p", "pairwise", new JsonObject { ["selected"] = "left" })), Result(Item("p", "pairwise", new JsonObject { ["selected"] = "right" }))));
    }

    [Fact]
    public void Numbers_agree_within_the_tolerance()
    {
        static string Number(double n) => Result(Item("n", "number", new JsonObject { ["number"] = n }));
        Assert.Equal(1, Score(Number(3), Number(3)));
        Assert.Equal(0, Score(Number(3), Number(3.5)));
        Assert.Equal(1, Score(Number(3), Number(3.5), new ScoringSettings(NumberTolerance: 0.5)));
    }

    [Fact]
    public void Texts_pair_one_to_one_by_levenshtein_similarity()
    {
        static string Texts(params string[] texts) => Result(Item("t", "textarea", new JsonObject { ["text"] = new JsonArray(texts.Select(x => (JsonNode)x).ToArray()) }));
        Assert.Equal(0.571429, Score(Texts("kitten"), Texts("sitting")), 6);
        // "house"~"hous" 0.8 and "flaw"~"lawn" 0.5, whatever the order; the pairing that maximises the total wins.
        Assert.Equal((0.8 + 0.5) / 2, Score(Texts("house", "flaw"), Texts("lawn", "hous")), 6);
        // An unpaired text scores 0: (1 + 0) / 2.
        Assert.Equal(0.5, Score(Texts("a", "b"), Texts("a")));
    }

    [Fact]
    public void A_region_with_several_labels_matches_the_same_labels_in_any_order()
    {
        static JsonObject Spans(params string[] labels) =>
            Item("ner", "labels", new JsonObject { ["start"] = 0, ["end"] = 10, ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]) });

        Assert.Equal(new RegionCounts(1, 0, 0, 0), Counts(Result(Spans("PER", "ORG")), Result(Spans("ORG", "PER"))));
        Assert.Equal(new RegionCounts(0, 1, 0, 0), Counts(Result(Spans("PER", "ORG")), Result(Spans("PER"))));
    }

    [Fact]
    public void Boxes_match_at_exactly_the_threshold()
    {
        // IoU of [0,0,10,10] and [0,0,10,5] is exactly 0.5: it counts.
        var counts = Counts(Result(Box(0, 0, 10, 10)), Result(Box(0, 0, 10, 5)));
        Assert.Equal(new RegionCounts(1, 0, 0, 0), counts);
        // Just under: 0.49 does not.
        Assert.Equal(new RegionCounts(0, 0, 1, 1), Counts(Result(Box(0, 0, 10, 10)), Result(Box(0, 0, 10, 4.9))));
    }

    [Fact]
    public void A_label_mix_up_is_mismatched_not_matched()
    {
        var counts = Counts(Result(Box(0, 0, 10, 10, "Car"), Box(50, 50, 10, 10, "Person")), Result(Box(0, 0, 10, 10, "Person"), Box(50, 50, 10, 10, "Car")));
        Assert.Equal(new RegionCounts(0, 2, 0, 0), counts);
        Assert.Equal(0, Score(Result(Box(0, 0, 10, 10, "Car")), Result(Box(0, 0, 10, 10, "Person"))));
    }

    [Fact]
    public void Matching_is_one_to_one_not_best_match()
    {
        // Two predicted boxes over one true box: one matches, the other is extra (Label Studio's best-match would count both).
        var counts = Counts(Result(Box(0, 0, 10, 10)), Result(Box(0, 0, 10, 10), Box(0.5, 0.5, 10, 10)));
        Assert.Equal(new RegionCounts(1, 0, 0, 1), counts);
        Assert.Equal(0.5, Score(Result(Box(0, 0, 10, 10)), Result(Box(0, 0, 10, 10), Box(0.5, 0.5, 10, 10))));
    }

    [Fact]
    public void Rotated_boxes_use_the_exact_intersection()
    {
        // A 10×10 square against itself turned 90° about its top-left corner: they share only an edge.
        Assert.Equal(0, Overlap.Rectangle(new RotatedBox(0, 0, 10, 10), new RotatedBox(0, 0, 10, 10, 90)), 6);
        // Turned 180° about (10, 10) lands back on the same square.
        Assert.Equal(1, Overlap.Rectangle(new RotatedBox(0, 0, 10, 10), new RotatedBox(10, 10, 10, 10, 180)), 6);
        // Turned 45° about its corner: intersection is the triangle below the diagonal... a quarter-turned square
        // covers half of the original's upper-right region: area 50·(√2 − 1)·2 ≈ 41.42 of a union of 200 − 41.42.
        var rotated = Overlap.Rectangle(new RotatedBox(0, 0, 10, 10), new RotatedBox(0, 0, 10, 10, 45));
        Assert.Equal(41.421356 / (200 - 41.421356), rotated, 5);
        Assert.Equal(1, Score(Result(Box(10, 10, 20, 10, rotation: 30)), Result(Box(10, 10, 20, 10, rotation: 30))));
    }

    [Fact]
    public void Overlapping_spans_with_different_labels()
    {
        // PER [0,10) and LOC [5,15) against PER [0,10) and PER [5,15): the first pair matches, the second is a label mix-up.
        var counts = Counts(Result(Span(0, 10, "PER"), Span(5, 15, "LOC")), Result(Span(0, 10, "PER"), Span(5, 15, "PER")));
        Assert.Equal(new RegionCounts(1, 1, 0, 0), counts);
        Assert.Equal(0.5, Score(Result(Span(0, 10, "PER"), Span(5, 15, "LOC")), Result(Span(0, 10, "PER"), Span(5, 15, "PER"))));
    }

    [Fact]
    public void Span_order_does_not_matter()
    {
        var a = Result(Span(0, 4, "A"), Span(5, 9, "B"), Span(10, 14, "A"));
        Assert.Equal(1, Score(a, Result(Span(10, 14, "A"), Span(0, 4, "A"), Span(5, 9, "B"))));
    }

    [Fact]
    public void Polygons_ellipses_and_keypoints()
    {
        static JsonObject Polygon(params double[] xy) => Item("poly", "polygonlabels", new JsonObject
        {
            ["points"] = new JsonArray(xy.Chunk(2).Select(p => (JsonNode)new JsonArray(p[0], p[1])).ToArray()),
            ["polygonlabels"] = new JsonArray("Lake"),
        });
        // A square and the triangle that is half of it: IoU 0.5, matched.
        Assert.Equal(1, Score(Result(Polygon(0, 0, 10, 0, 10, 10, 0, 10)), Result(Polygon(0, 0, 10, 0, 10, 10))));

        static JsonObject Ellipse(double rx) => Item("e", "ellipselabels", new JsonObject { ["x"] = 50, ["y"] = 50, ["radiusX"] = rx, ["radiusY"] = 10, ["rotation"] = 0, ["ellipselabels"] = new JsonArray("Cell") });
        // Same centre, radii 10 and 5 along x: IoU = 50 / 100.
        var ellipse = ResultComparer.Compare(Result(Ellipse(10)), Result(Ellipse(5))).Controls.Single();
        Assert.Equal(0.5, ellipse.MeanOverlap!.Value, 2);

        static JsonObject Point(double x) => Item("k", "keypointlabels", new JsonObject { ["x"] = x, ["y"] = 10, ["width"] = 1, ["keypointlabels"] = new JsonArray("Nose") });
        // d = σ·√(2 ln 2) gives OKS exactly 0.5 with σ = 5.
        Assert.Equal(1, Score(Result(Point(10)), Result(Point(10 + (5 * Math.Sqrt(2 * Math.Log(2)))))));
        Assert.Equal(0, Score(Result(Point(10)), Result(Point(20))));
    }

    [Fact]
    public void Keypoints_on_an_image_of_known_size_are_measured_in_pixels()
    {
        // A 200 × 100 pixel image: σ = 5 % of √(200 · 100) = 7.07 px. Ten percent across is 20 px: OKS e^−4; ten
        // percent down is 10 px: e^−1. In percent of the image (no size given) both were e^−2.
        static double Oks(double x1, double y1, double x2, double y2, bool sized)
        {
            JsonObject Point(double x, double y)
            {
                var item = Item("k", "keypointlabels", new JsonObject { ["x"] = x, ["y"] = y, ["keypointlabels"] = new JsonArray("Nose") });
                if (sized)
                {
                    (item["original_width"], item["original_height"]) = (200, 100);
                }
                return item;
            }
            var (a, b) = (Region.From(JsonDocument.Parse(Point(x1, y1).ToJsonString()).RootElement, "keypointlabels")!,
                Region.From(JsonDocument.Parse(Point(x2, y2).ToJsonString()).RootElement, "keypointlabels")!);
            return a.Shape.OverlapWith(b.Shape, new ScoringSettings());
        }

        Assert.Equal(Math.Exp(-4), Oks(10, 50, 20, 50, sized: true), 10);
        Assert.Equal(Math.Exp(-1), Oks(50, 10, 50, 20, sized: true), 10);
        Assert.Equal(Math.Exp(-2), Oks(10, 50, 20, 50, sized: false), 10);
        Assert.Equal(Math.Exp(-2), Oks(50, 10, 50, 20, sized: false), 10);
    }

    [Fact]
    public void Per_region_choices_fold_into_the_region_score()
    {
        var a = Result(Box(0, 0, 10, 10, id: "r1"), Item("colour", "choices", new JsonObject { ["choices"] = new JsonArray("red") }, parent: "r1"));
        var same = Result(Box(0, 0, 10, 10, id: "q9"), Item("colour", "choices", new JsonObject { ["choices"] = new JsonArray("red") }, parent: "q9"));
        var other = Result(Box(0, 0, 10, 10, id: "q9"), Item("colour", "choices", new JsonObject { ["choices"] = new JsonArray("blue") }, parent: "q9"));

        Assert.Equal(1, Score(a, same));
        Assert.Equal(0, Score(a, other));
        Assert.Single(ResultComparer.Compare(a, other).Controls); // the child is not a control of its own
    }

    [Fact]
    public void Empty_and_one_sided_results()
    {
        Assert.Equal(1, Score("[]", "[]"));
        Assert.Equal(0, Score(Result(Choices("A")), "[]"));
        Assert.Equal(0, Score("[]", Result(Box(0, 0, 10, 10))));
        var counts = Counts(Result(Box(0, 0, 10, 10), Box(20, 20, 5, 5)), "[]");
        Assert.Equal(new RegionCounts(0, 0, 2, 0), counts);
        Assert.Equal(0, counts.Recall);
        Assert.Null(counts.Precision);
    }

    [Fact]
    public void Controls_are_weighted_and_weight_zero_leaves_one_out()
    {
        var a = Result(Choices("A"), Span(0, 4, "PER"));
        var b = Result(Choices("B"), Span(0, 4, "PER"));
        Assert.Equal(0.5, Score(a, b));
        Assert.Equal(0.75, Score(a, b, new ScoringSettings(Weights: new Dictionary<string, double> { ["ner"] = 3 })));
        Assert.Equal(1, Score(a, b, new ScoringSettings(Weights: new Dictionary<string, double> { ["class"] = 0 })));
    }

    private static ScoringSettings LabelWeights(string control, params (string Label, double Weight)[] weights) =>
        new(LabelWeights: new Dictionary<string, IReadOnlyDictionary<string, double>> { [control] = weights.ToDictionary(w => w.Label, w => w.Weight) });

    [Fact]
    public void Label_weights_count_each_choice_by_its_weight()
    {
        var (a, b) = (Result(Choices("Car", "Person")), Result(Choices("Car")));
        Assert.Equal(0.5, Score(a, b));
        // Σ weight(A ∩ B) / Σ weight(A ∪ B): 1 / (1 + 3).
        Assert.Equal(0.25, Score(a, b, LabelWeights("class", ("Person", 3))));
        Assert.Equal(1, Score(a, b, LabelWeights("class", ("Person", 0))));
        // Another control's weights change nothing here.
        Assert.Equal(0.5, Score(a, b, LabelWeights("other", ("Person", 3))));
        // Nothing that weighs on either side: the sets agree.
        Assert.Equal(1, Score(Result(Choices("Person")), Result(Choices("Other")), LabelWeights("class", ("Person", 0), ("Other", 0))));
    }

    [Fact]
    public void Label_weights_count_each_region_by_its_label()
    {
        var a = Result(Span(0, 10, "Car"), Span(20, 30, "Person"));
        var b = Result(Span(0, 10, "Car"));
        Assert.Equal(0.5, Score(a, b));
        // The missing Person weighs 3: 1 / (1 + 3).
        Assert.Equal(0.25, Score(a, b, LabelWeights("ner", ("Person", 3))));
        // A mismatched pair weighs the mean of its two labels: 0 / ((1 + 3) / 2).
        Assert.Equal(0, Score(Result(Span(0, 10, "Car")), Result(Span(0, 10, "Person")), LabelWeights("ner", ("Person", 3))));
        Assert.Equal(new RegionCounts(1, 0, 1, 0), ResultComparer.Compare(a, b, LabelWeights("ner", ("Person", 3))).Controls.Single().Regions!.Value);
    }

    [Fact]
    public void Region_credit_by_overlap_gives_a_matched_pair_its_overlap()
    {
        var (a, b) = (Result(Span(0, 10, "Car")), Result(Span(0, 8, "Car")));
        Assert.Equal(1, Score(a, b));
        Assert.Equal(0.8, Score(a, b, new ScoringSettings(RegionCredit: RegionCredit.Overlap)), 9);
        // Below the threshold there is no pair to give credit to, whatever the setting.
        Assert.Equal(0, Score(a, Result(Span(0, 4, "Car")), new ScoringSettings(RegionCredit: RegionCredit.Overlap)));
        // Boxes: two 10 × 10 boxes 2 apart overlap 80 / 120.
        Assert.Equal(80.0 / 120, Score(Result(Box(0, 0, 10, 10)), Result(Box(2, 0, 10, 10)), new ScoringSettings(RegionCredit: RegionCredit.Overlap)), 6);
    }

    [Fact]
    public void Label_weights_and_region_credit_are_read_and_written_as_label_studio_users_would_send_them()
    {
        var settings = ScoringSettings.FromJson("""{"label_weights": {"ner": {"Person": 2.5}}, "region_credit": "overlap"}""");
        Assert.Equal(RegionCredit.Overlap, settings.RegionCredit);
        Assert.Equal(2.5, settings.LabelWeightsOf("ner")!("Person"));
        Assert.Equal(1, settings.LabelWeightsOf("ner")!("Car"));
        Assert.Null(settings.LabelWeightsOf("class"));
        Assert.Contains("\"region_credit\":\"overlap\"", settings.ToJson(), StringComparison.Ordinal);
        Assert.Equal("threshold", ScoringSettings.FromJson("{}").ToJson().Split("region_credit\":\"")[1].Split('"')[0]);
    }

    /// <summary>The result types of <c>label-studio-format.md</c>, each once, as scoring and the review page read them.</summary>
    [Theory]
    [InlineData("choices", "choices", ResultKind.Classification, null)]
    [InlineData("taxonomy", "taxonomy", ResultKind.Classification, null)]
    [InlineData("labels", "labels", ResultKind.Region, RegionKind.TextSpan)]
    [InlineData("hypertextlabels", "hypertextlabels", ResultKind.Region, RegionKind.DocumentSpan)]
    [InlineData("paragraphlabels", "paragraphlabels", ResultKind.Region, RegionKind.DocumentSpan)]
    [InlineData("rectanglelabels", "rectanglelabels", ResultKind.Region, RegionKind.Box)]
    [InlineData("rectangle", "rectangle", ResultKind.Region, RegionKind.Box)]
    [InlineData("polygonlabels", "polygonlabels", ResultKind.Region, RegionKind.Polygon)]
    [InlineData("polygon", "polygon", ResultKind.Region, RegionKind.Polygon)]
    [InlineData("keypointlabels", "keypointlabels", ResultKind.Region, RegionKind.Keypoint)]
    [InlineData("ellipselabels", "ellipselabels", ResultKind.Region, RegionKind.Ellipse)]
    [InlineData("brushlabels", "brushlabels", ResultKind.Region, RegionKind.Mask)]
    [InlineData("timeserieslabels", "timeserieslabels", ResultKind.Region, RegionKind.TimeSpan)]
    [InlineData("textarea", "text", ResultKind.Text, null)]
    [InlineData("rating", "rating", ResultKind.Classification, null)]
    [InlineData("number", "number", ResultKind.Number, null)]
    [InlineData("datetime", "datetime", ResultKind.Classification, null)]
    [InlineData("pairwise", "selected", ResultKind.Classification, null)]
    [InlineData("ranker", "ranker", ResultKind.Unknown, null)]
    public void Every_label_studio_result_type_is_in_the_one_table(string name, string valueKey, ResultKind kind, RegionKind? region)
    {
        var type = ResultTypes.Of(name);
        Assert.Equal((valueKey, kind, region), (type.ValueKey, type.Kind, type.Region));
        Assert.Single(ResultTypes.All, t => t.Name == name);
    }

    [Fact]
    public void Unknown_types_compare_by_deep_equality()
    {
        static string Unknown(string json) => Result(Item("u", "future_widget", JsonNode.Parse(json)!.AsObject()));
        Assert.Equal(1, Score(Unknown("""{"a": [1, 2], "b": {"c": null}}"""), Unknown("""{"b": {"c": null}, "a": [1, 2]}""")));
        Assert.Equal(0, Score(Unknown("""{"a": [1, 2]}"""), Unknown("""{"a": [2, 1]}""")));
    }

    [Theory]
    [InlineData("""{"x": null, "y": 0, "width": 10, "height": 10}""")]
    [InlineData("""{"x": 0, "y": 0, "width": -10, "height": 10}""")]
    [InlineData("""{"x": 0, "y": 0, "height": 10}""")]
    public void A_malformed_box_is_left_out_and_counted_invalid(string value)
    {
        var bad = Result(Item("box", "rectanglelabels", JsonNode.Parse(value)!.AsObject()));
        var comparison = ResultComparer.Compare(Result(Box(0, 0, 10, 10)), bad);
        var counts = comparison.Controls.Single().Regions!.Value;
        Assert.Equal(new RegionCounts(0, 0, 1, 0, Invalid: 1), counts);
        Assert.Equal(0, comparison.Score);
    }

    [Fact]
    public void Other_malformed_regions_never_throw()
    {
        var span = Result(Item("ner", "labels", new JsonObject { ["start"] = 10, ["end"] = 2, ["labels"] = new JsonArray("PER") }));
        var polygon = Result(Item("poly", "polygonlabels", new JsonObject { ["points"] = new JsonArray(new JsonArray(0, 0), new JsonArray(1, 1)) }));
        var points = Result(Item("poly", "polygonlabels", new JsonObject { ["points"] = "nope" }));
        Assert.Equal(1, ResultComparer.Compare(span, Result(Span(2, 10, "PER"))).Controls.Single().Regions!.Value.Invalid);
        Assert.Equal(1, ResultComparer.Compare(polygon, "[]").Controls.Single().Regions!.Value.Invalid);
        Assert.Equal(1, ResultComparer.Compare(points, "[]").Controls.Single().Regions!.Value.Invalid);
        Assert.Equal(1, Score("not json", "[]"));
    }

    [Fact]
    public void Breakdown_has_precision_recall_f1_and_mean_overlap()
    {
        var control = ResultComparer.Compare(Result(Box(0, 0, 10, 10), Box(50, 50, 10, 10)), Result(Box(0, 0, 10, 5), Box(80, 80, 5, 5))).Controls.Single();
        var counts = control.Regions!.Value;
        Assert.Equal(new RegionCounts(1, 0, 1, 1), counts);
        Assert.Equal(0.5, counts.Precision);
        Assert.Equal(0.5, counts.Recall);
        Assert.Equal(0.5, counts.F1);
        Assert.Equal(0.5, control.MeanOverlap!.Value, 6);
        Assert.Equal((1.0 / 3).ToString("0.0000", CultureInfo.InvariantCulture), control.Score.ToString("0.0000", CultureInfo.InvariantCulture));
    }
}
