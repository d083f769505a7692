using System.Text.Json.Nodes;
using GroundTruth.Core.Scoring;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Scoring;

/// <summary>Every published answer in TestData/vectors/metrics.json, one test case each, to 4 decimals.</summary>
public sealed class MetricVectorTests
{
    private static readonly Lazy<JsonObject> Vectors = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures.TestDataFolder, "vectors", "metrics.json")))!.AsObject());

    /// <summary>Case ids: "group/index/measure".</summary>
    public static TheoryData<string> Cases() => new(CaseIds());

    private static List<string> CaseIds()
    {
        var cases = new List<string>();
        foreach (var (group, list) in Vectors.Value)
        {
            if (group.StartsWith('_'))
            {
                continue;
            }
            var items = list!.AsArray();
            for (var i = 0; i < items.Count; i++)
            {
                foreach (var measure in Measures(group, items[i]!.AsObject()))
                {
                    cases.Add($"{group}/{i}/{measure}");
                }
            }
        }
        return cases;
    }

    private static IEnumerable<string> Measures(string group, JsonObject item) => group switch
    {
        "geometry" when item.ContainsKey("cases") => Enumerable.Range(0, item["cases"]!.AsArray().Count).Select(i => $"case{i}"),
        "text_and_sets" => item.Select(p => p.Key).Where(k => k is not ("a" or "b" or "wer_ref" or "wer_hyp" or "span_example" or "expected")),
        _ when item["expected"] is JsonObject expected => expected.Select(p => p.Key),
        _ => ["value"],
    };

    [Fact]
    public void There_is_a_case_for_every_vector()
    {
        var groups = CaseIds().Select(c => c.Split('/')[0]).Distinct().Order();
        Assert.Equal(["cohen_kappa", "fleiss_kappa", "geometry", "gwet_ac1_and_percent_agreement", "krippendorff_alpha", "text_and_sets"], groups);
        Assert.True(CaseIds().Count >= 30, $"only {CaseIds().Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Published_value_is_reproduced(string id)
    {
        var parts = id.Split('/');
        var (group, index, measure) = (parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
        var item = Vectors.Value[group]!.AsArray()[index]!.AsObject();
        var (expected, actual) = group switch
        {
            "krippendorff_alpha" => (Expected(item, measure), Krippendorff(item, measure)),
            "gwet_ac1_and_percent_agreement" => (Expected(item, measure), Gwet(item, measure)),
            "cohen_kappa" => (Expected(item, measure), Cohen(item, measure)),
            "fleiss_kappa" => (item["expected"]!.GetValue<double>(), FleissKappa.Compute(Matrix<int>(item["counts_subject_x_category"]!))),
            "geometry" => Geometry(item, measure),
            _ => TextAndSets(item, measure),
        };
        Assert.NotNull(actual);
        Assert.Equal(expected, actual!.Value, 4);
    }

    private static double Expected(JsonObject item, string measure) => item["expected"]![measure]!.GetValue<double>();

    private static double? Krippendorff(JsonObject item, string measure)
    {
        var data = item["data"]!.AsArray();
        if (data.Any(coder => coder!.AsArray().Any(v => v?.GetValueKind() == System.Text.Json.JsonValueKind.String)))
        {
            return KrippendorffAlpha.Nominal(data.Select(c => (IReadOnlyList<string?>)c!.AsArray().Select(v => v?.GetValue<string>()).ToList()).ToList());
        }
        var numeric = data.Select(c => (IReadOnlyList<double?>)c!.AsArray().Select(v => v?.GetValue<double>()).ToList()).ToList();
        return measure == "absolute_distance"
            ? KrippendorffAlpha.Compute(numeric, (values, _, c, k) => Math.Abs(values[c] - values[k]))
            : KrippendorffAlpha.Compute(numeric, Enum.Parse<AlphaLevel>(measure, ignoreCase: true));
    }

    private static double? Gwet(JsonObject item, string measure)
    {
        var source = Vectors.Value["krippendorff_alpha"]!.AsArray().Single(v => v!["id"]!.GetValue<string>() == item["data_ref"]!.GetValue<string>())!;
        var data = source["data"]!.AsArray().Select(c => (IReadOnlyList<string?>)c!.AsArray().Select(v => v?.ToJsonString()).ToList()).ToList();
        return measure == "ac1" ? GwetAc1.Ac1(data) : GwetAc1.PercentAgreement(data);
    }

    private static double? Cohen(JsonObject item, string measure)
    {
        var weighting = Enum.Parse<KappaWeighting>(measure, ignoreCase: true);
        if (item["contingency_rows_rater1"] is { } table)
        {
            var rows = Matrix<double>(table);
            var square = new double[rows.Count, rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                for (var j = 0; j < rows.Count; j++)
                {
                    square[i, j] = rows[i][j];
                }
            }
            return CohenKappa.FromContingency(square, weighting);
        }
        if (item["y1"] is { } y1)
        {
            return CohenKappa.Compute(Strings(y1), Strings(item["y2"]!), weighting);
        }
        return CohenKappa.Compute(Runs(item["y1_runs"]!), Runs(item["y2_runs"]!), weighting);
    }

    private static (double, double?) Geometry(JsonObject item, string measure)
    {
        if (item["cases"] is { } cases)
        {
            var gt = item["gt"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            var row = cases.AsArray()[int.Parse(measure["case".Length..], System.Globalization.CultureInfo.InvariantCulture)]!.AsArray();
            var box = row[0]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            return (row[1]!.GetValue<double>(), Overlap.Box(gt[0], gt[1], gt[2], gt[3], box[0], box[1], box[2], box[3]));
        }
        var counts = item["counts"]!;
        var regions = new RegionCounts(counts["valid"]!.GetValue<int>(), counts["mismatched"]!.GetValue<int>(), counts["missing"]!.GetValue<int>(), counts["extra"]!.GetValue<int>());
        return (Expected(item, measure), measure switch
        {
            "cvat_accuracy" => regions.Score,
            "precision" => regions.Precision,
            _ => regions.Recall,
        });
    }

    private static (double, double?) TextAndSets(JsonObject item, string measure)
    {
        var expected = (item[measure] is JsonValue v ? v : item["expected"]!).GetValue<double>();
        if (item["span_example"] is { } span)
        {
            var text = span["text"]!.GetValue<string>();
            var a = span["a"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
            var b = span["b"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
            return (expected, measure == "char_iou" ? Overlap.Interval(a[0], a[1], b[0], b[1]) : Overlap.Tokens(text, a[0], a[1], b[0], b[1]));
        }
        return measure switch
        {
            "levenshtein" => (expected, TextSimilarity.Levenshtein(Text(item, "a"), Text(item, "b"))),
            "similarity_max_len" => (expected, TextSimilarity.Similarity(Text(item, "a"), Text(item, "b"))),
            "cer_ref_a" => (expected, TextSimilarity.CharacterErrorRate(Text(item, "a"), Text(item, "b"))),
            "wer" => (expected, TextSimilarity.WordErrorRate(Text(item, "wer_ref"), Text(item, "wer_hyp"))),
            "jaccard" => (expected, SetSimilarity.Jaccard(Strings(item["jaccard"]![0]!), Strings(item["jaccard"]![1]!))),
            "masi_distance" => (expected, SetSimilarity.MasiDistance(Strings(item["masi_distance"]![0]!), Strings(item["masi_distance"]![1]!))),
            _ => throw new ArgumentOutOfRangeException(nameof(measure), measure, "no measure of that name"),
        };
    }

    private static string Text(JsonObject item, string key) => item[key]!.GetValue<string>();

    private static List<string> Strings(JsonNode node) => node.AsArray().Select(v => v!.GetValue<string>()).ToList();

    private static List<int> Runs(JsonNode node) =>
        node.AsArray().SelectMany(run => Enumerable.Repeat(run![0]!.GetValue<int>(), run[1]!.GetValue<int>())).ToList();

    private static List<IReadOnlyList<T>> Matrix<T>(JsonNode node) =>
        node.AsArray().Select(row => (IReadOnlyList<T>)row!.AsArray().Select(v => v!.GetValue<T>()).ToList()).ToList();
}
