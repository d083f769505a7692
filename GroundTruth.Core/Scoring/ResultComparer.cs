using System.Globalization;
using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Compares two Label Studio result lists, as <c>../shared/reference/metrics.md</c> defines: per control
/// (<c>from_name</c>), classification by Jaccard, numbers within a tolerance, texts by paired Levenshtein similarity,
/// regions by two-pass one-to-one Hungarian matching on overlap, anything else by deep equality; then the weighted mean.
/// Pure and symmetric; malformed values never throw (they are left out and counted as invalid).
/// </summary>
public static class ResultComparer
{
    public static ResultScore Compare(string resultA, string resultB, ScoringSettings? settings = null) =>
        Compare(ParsedResult.Parse(resultA), ParsedResult.Parse(resultB), settings ?? ScoringSettings.Default);

    public static ResultScore Compare(ParsedResult a, ParsedResult b, ScoringSettings settings)
    {
        var controls = new List<string>(a.Controls.Keys);
        foreach (var control in b.Controls.Keys)
        {
            if (!a.Controls.ContainsKey(control))
            {
                controls.Add(control);
            }
        }
        controls.Sort(StringComparer.Ordinal);
        if (controls.Count == 0)
        {
            return new ResultScore(1, []);
        }
        var scores = new List<ControlScore>();
        double total = 0, weights = 0;
        foreach (var control in controls)
        {
            var itemsA = a.Controls.GetValueOrDefault(control) ?? [];
            var itemsB = b.Controls.GetValueOrDefault(control) ?? [];
            var type = (itemsA.Count > 0 ? itemsA : itemsB)[0].Type;
            var score = CompareControl(control, type, itemsA, itemsB, a, b, settings);
            scores.Add(score);
            var weight = settings.WeightOf(control);
            if (weight > 0)
            {
                total += weight * score.Score;
                weights += weight;
            }
        }
        return new ResultScore(weights == 0 ? 1 : total / weights, scores);
    }

    private static ControlScore CompareControl(string control, string type, IReadOnlyList<ResultItem> a, IReadOnlyList<ResultItem> b,
        ParsedResult resultA, ParsedResult resultB, ScoringSettings settings)
    {
        if (ResultTypes.Of(type).Kind == ResultKind.Region)
        {
            return CompareRegions(control, type, a, b, resultA, resultB, settings);
        }
        if (a.Count == 0 || b.Count == 0)
        {
            return new ControlScore(control, type, 0);
        }
        return new ControlScore(control, type, CompareValues(control, type, a, b, settings));
    }

    /// <summary>The score of two non-region item lists of one control (also used for per-region children).</summary>
    private static double CompareValues(string control, string type, IReadOnlyList<ResultItem> a, IReadOnlyList<ResultItem> b, ScoringSettings settings)
    {
        var kind = ResultTypes.Of(type).Kind;
        if (kind == ResultKind.Classification)
        {
            var (valuesA, valuesB) = (ValuesOf(a, type), ValuesOf(b, type));
            return settings.LabelWeightsOf(control) is { } weight ? SetSimilarity.WeightedJaccard(valuesA, valuesB, weight) : SetSimilarity.Jaccard(valuesA, valuesB);
        }
        if (kind == ResultKind.Number)
        {
            var x = a.Select(i => NumberOf(i)).FirstOrDefault(n => n is not null);
            var y = b.Select(i => NumberOf(i)).FirstOrDefault(n => n is not null);
            return x is not null && y is not null && Math.Abs(x.Value - y.Value) <= settings.NumberTolerance ? 1 : 0;
        }
        if (kind == ResultKind.Text)
        {
            return CompareTexts(a.SelectMany(Texts).ToList(), b.SelectMany(Texts).ToList());
        }
        // Unknown types: deeply equal values, in any order.
        return a.Count == b.Count && a.Select(i => i.Value).OrderBy(v => v.GetRawText(), StringComparer.Ordinal)
            .Zip(b.Select(i => i.Value).OrderBy(v => v.GetRawText(), StringComparer.Ordinal))
            .All(p => JsonElement.DeepEquals(p.First, p.Second)) ? 1 : 0;
    }

    /// <summary>Texts paired one-to-one to maximise total similarity; an unpaired text scores 0.</summary>
    private static double CompareTexts(List<string> a, List<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }
        var similarity = new double[a.Count * b.Count];
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                similarity[(i * b.Count) + j] = TextSimilarity.Similarity(a[i], b[j]);
            }
        }
        return Hungarian.MaximumWeight(similarity, a.Count, b.Count).Sum(p => similarity[(p.Row * b.Count) + p.Column]) / Math.Max(a.Count, b.Count);
    }

    private static ControlScore CompareRegions(string control, string type, IReadOnlyList<ResultItem> itemsA, IReadOnlyList<ResultItem> itemsB,
        ParsedResult resultA, ParsedResult resultB, ScoringSettings settings)
    {
        var invalid = 0;
        var regionsA = Regions(itemsA, ref invalid);
        var regionsB = Regions(itemsB, ref invalid);

        var (matched, mismatchedPairs, overlap) = MatchRegions(regionsA, regionsB, settings);
        var mismatched = mismatchedPairs.Count;

        var counts = new RegionCounts(matched.Count, mismatched,
            regionsA.Count - matched.Count - mismatched, regionsB.Count - matched.Count - mismatched, invalid);
        // A matched pair earns a point (or its overlap, by the region-credit setting) times its per-region children's
        // agreement; every region counts by its labels' weight (1 unless the project weighs them). Summed in loops, each
        // sum in the order it always had (a comparison runs millions of times in a rescoring; a lambda each cost more).
        var labelWeight = settings.LabelWeightsOf(control);
        double Weight(Region r) => labelWeight is null || r.Labels.Count == 0 ? 1 : r.Labels.Average(labelWeight);
        double credit = 0, matchedWeight = 0, mismatchedWeight = 0, unpairedA = 0, unpairedB = 0, overlapSum = 0;
        foreach (var (row, column) in matched)
        {
            var o = overlap[(row * regionsB.Count) + column];
            credit += Weight(regionsA[row]) * (settings.RegionCredit == RegionCredit.Overlap ? o : 1)
                * ChildAgreement(regionsA[row], regionsB[column], resultA, resultB, settings);
            matchedWeight += Weight(regionsA[row]);
            overlapSum += o;
        }
        foreach (var (row, column) in mismatchedPairs)
        {
            mismatchedWeight += (Weight(regionsA[row]) + Weight(regionsB[column])) / 2;
        }
        var pairedA = Paired(regionsA.Count, matched, mismatchedPairs, p => p.Row);
        var pairedB = Paired(regionsB.Count, matched, mismatchedPairs, p => p.Column);
        for (var i = 0; i < regionsA.Count; i++)
        {
            unpairedA += pairedA[i] ? 0 : Weight(regionsA[i]);
        }
        for (var j = 0; j < regionsB.Count; j++)
        {
            unpairedB += pairedB[j] ? 0 : Weight(regionsB[j]);
        }
        var denominator = matchedWeight + mismatchedWeight + unpairedA + unpairedB;
        var score = denominator == 0 ? 1 : credit / denominator;
        // A matched pair's overlap is at least the threshold, so the matrix holds it as computed.
        var meanOverlap = matched.Count == 0 ? (double?)null : overlapSum / matched.Count;
        return new ControlScore(control, type, score, counts, meanOverlap);
    }

    /// <summary>The items' regions, in order, counting the malformed ones (which have none) in <paramref name="invalid"/>.</summary>
    private static List<Region> Regions(IReadOnlyList<ResultItem> items, ref int invalid)
    {
        var regions = new List<Region>(items.Count);
        foreach (var item in items)
        {
            if (item.Region is { } region)
            {
                regions.Add(region);
            }
            else
            {
                invalid++;
            }
        }
        return regions;
    }

    /// <summary>Which of a side's regions the pairs hold (a flag each: sets cost more than the comparisons they serve).</summary>
    private static bool[] Paired(int count, IReadOnlyList<(int Row, int Column)> matched, IReadOnlyList<(int Row, int Column)>? mismatched,
        Func<(int Row, int Column), int> side)
    {
        var paired = new bool[count];
        foreach (var pair in matched)
        {
            paired[side(pair)] = true;
        }
        foreach (var pair in mismatched ?? [])
        {
            paired[side(pair)] = true;
        }
        return paired;
    }

    /// <summary>Two-pass one-to-one matching: pass 1 pairs same-label regions, pass 2 what is left whatever the labels.</summary>
    /// <remarks>The overlap matrix is regionsA × regionsB, row by row (see <see cref="Hungarian"/>).</remarks>
    private static (IReadOnlyList<(int Row, int Column)> Matched, IReadOnlyList<(int Row, int Column)> Mismatched, double[] Overlap) MatchRegions(
        List<Region> regionsA, List<Region> regionsB, ScoringSettings settings)
    {
        var columns = regionsB.Count;
        var overlap = new double[regionsA.Count * columns];
        var sameLabel = new double[regionsA.Count * columns];
        for (var i = 0; i < regionsA.Count; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var o = regionsA[i].Shape.OverlapWith(regionsB[j].Shape, settings);
                var cell = (i * columns) + j;
                overlap[cell] = o + 1e-9 >= settings.Threshold ? Math.Max(o, 1e-9) : 0;
                sameLabel[cell] = regionsA[i].SameLabels(regionsB[j]) ? overlap[cell] : 0;
            }
        }
        var matched = Hungarian.MaximumWeight(sameLabel, regionsA.Count, columns);
        var leftA = Left(Paired(regionsA.Count, matched, null, p => p.Row));
        var leftB = Left(Paired(columns, matched, null, p => p.Column));
        if (leftA.Count == 0 || leftB.Count == 0)
        {
            return (matched, [], overlap);
        }
        var rest = new double[leftA.Count * leftB.Count];
        for (var i = 0; i < leftA.Count; i++)
        {
            for (var j = 0; j < leftB.Count; j++)
            {
                rest[(i * leftB.Count) + j] = overlap[(leftA[i] * columns) + leftB[j]];
            }
        }
        var mismatched = Hungarian.MaximumWeight(rest, leftA.Count, leftB.Count).Select(p => (leftA[p.Row], leftB[p.Column])).ToList();
        return (matched, mismatched, overlap);
    }

    private static List<int> Left(bool[] paired)
    {
        var left = new List<int>();
        for (var i = 0; i < paired.Length; i++)
        {
            if (!paired[i])
            {
                left.Add(i);
            }
        }
        return left;
    }

    /// <summary>
    /// For a confusion matrix: the label pairs of one control, reference (A) against the other (B). Regions pair as the
    /// matching pairs them; classification values pair equal values first, then the rest in order; a value without a
    /// partner pairs with null.
    /// </summary>
    public static IEnumerable<(string? A, string? B)> LabelPairs(ParsedResult a, ParsedResult b, string fromName, ScoringSettings settings)
    {
        var itemsA = a.Controls.GetValueOrDefault(fromName) ?? [];
        var itemsB = b.Controls.GetValueOrDefault(fromName) ?? [];
        if (itemsA.Count == 0 && itemsB.Count == 0)
        {
            return [];
        }
        var type = (itemsA.Count > 0 ? itemsA : itemsB)[0].Type;
        if (ResultTypes.Of(type).Kind == ResultKind.Region)
        {
            var regionsA = itemsA.Select(i => i.Region).OfType<Region>().ToList();
            var regionsB = itemsB.Select(i => i.Region).OfType<Region>().ToList();
            var (matched, mismatched, _) = MatchRegions(regionsA, regionsB, settings);
            var paired = matched.Concat(mismatched).ToList();
            static string Label(Region r) => r.Labels.Count == 0 ? "(no label)" : string.Join(" + ", r.Labels);
            return paired.Select(p => ((string?)Label(regionsA[p.Row]), (string?)Label(regionsB[p.Column])))
                .Concat(Enumerable.Range(0, regionsA.Count).Except(paired.Select(p => p.Row)).Select(i => ((string?)Label(regionsA[i]), (string?)null)))
                .Concat(Enumerable.Range(0, regionsB.Count).Except(paired.Select(p => p.Column)).Select(j => ((string?)null, (string?)Label(regionsB[j]))))
                .ToList();
        }
        var valuesA = ValuesOf(itemsA, type).Distinct().Order(StringComparer.Ordinal).ToList();
        var valuesB = ValuesOf(itemsB, type).Distinct().Order(StringComparer.Ordinal).ToList();
        var common = valuesA.Intersect(valuesB).ToList();
        var onlyA = valuesA.Except(common).ToList();
        var onlyB = valuesB.Except(common).ToList();
        var pairs = common.Select(v => ((string?)v, (string?)v)).ToList();
        for (var i = 0; i < Math.Max(onlyA.Count, onlyB.Count); i++)
        {
            pairs.Add((i < onlyA.Count ? onlyA[i] : null, i < onlyB.Count ? onlyB[i] : null));
        }
        return pairs;
    }

    /// <summary>
    /// The ground truth against another result, region by region as the score pairs them (same label first, then any
    /// label, overlap at least the threshold), and value by value for classifications: what the review page colours.
    /// </summary>
    public static IReadOnlyList<RegionDifference> Differences(ParsedResult groundTruth, ParsedResult other, ScoringSettings settings)
    {
        var differences = new List<RegionDifference>();
        foreach (var fromName in groundTruth.Controls.Keys.Union(other.Controls.Keys).Order(StringComparer.Ordinal))
        {
            var itemsA = groundTruth.Controls.GetValueOrDefault(fromName) ?? [];
            var itemsB = other.Controls.GetValueOrDefault(fromName) ?? [];
            var type = (itemsA.Count > 0 ? itemsA : itemsB)[0].Type;
            if (ResultTypes.Of(type).Kind == ResultKind.Region)
            {
                var regionsA = itemsA.Select(i => i.Region).OfType<Region>().ToList();
                var regionsB = itemsB.Select(i => i.Region).OfType<Region>().ToList();
                var (matched, mismatched, _) = MatchRegions(regionsA, regionsB, settings);
                static string Label(Region r) => r.Labels.Count == 0 ? "(no label)" : string.Join(" + ", r.Labels);
                differences.AddRange(matched.Select(p => new RegionDifference(fromName, DifferenceKind.Matched, regionsA[p.Row].Id, regionsB[p.Column].Id, Label(regionsA[p.Row]), Label(regionsB[p.Column]))));
                differences.AddRange(mismatched.Select(p => new RegionDifference(fromName, DifferenceKind.WrongLabel, regionsA[p.Row].Id, regionsB[p.Column].Id, Label(regionsA[p.Row]), Label(regionsB[p.Column]))));
                differences.AddRange(Enumerable.Range(0, regionsA.Count).Except(matched.Concat(mismatched).Select(p => p.Row))
                    .Select(i => new RegionDifference(fromName, DifferenceKind.Missing, regionsA[i].Id, null, Label(regionsA[i]), null)));
                differences.AddRange(Enumerable.Range(0, regionsB.Count).Except(matched.Concat(mismatched).Select(p => p.Column))
                    .Select(j => new RegionDifference(fromName, DifferenceKind.Extra, null, regionsB[j].Id, null, Label(regionsB[j]))));
                continue;
            }
            foreach (var (a, b) in LabelPairs(groundTruth, other, fromName, settings))
            {
                var kind = a is null ? DifferenceKind.Extra : b is null ? DifferenceKind.Missing : a == b ? DifferenceKind.Matched : DifferenceKind.WrongLabel;
                differences.Add(new RegionDifference(fromName, kind, null, null, a, b));
            }
        }
        return differences;
    }

    private static double ChildAgreement(Region a, Region b, ParsedResult resultA, ParsedResult resultB, ScoringSettings settings)
    {
        var childrenA = a.Id is null ? [] : resultA.Children.GetValueOrDefault(a.Id) ?? [];
        var childrenB = b.Id is null ? [] : resultB.Children.GetValueOrDefault(b.Id) ?? [];
        if (childrenA.Count == 0 && childrenB.Count == 0)
        {
            return 1;
        }
        var controls = childrenA.Select(c => c.FromName).Union(childrenB.Select(c => c.FromName)).ToList();
        if (controls.Count == 0)
        {
            return 1;
        }
        return controls.Average(control =>
        {
            var x = childrenA.Where(c => c.FromName == control).ToList();
            var y = childrenB.Where(c => c.FromName == control).ToList();
            return x.Count == 0 || y.Count == 0 ? 0 : CompareValues(control, (x.Count > 0 ? x : y)[0].Type, x, y, settings);
        });
    }

    /// <summary>The categorical values of a control's items, the stored list itself for the usual one item of the control's type.</summary>
    private static IEnumerable<string> ValuesOf(IReadOnlyList<ResultItem> items, string type) =>
        items is [var only] && only.Type == type ? only.Values : items.SelectMany(i => i.Type == type ? i.Values : Values(i, type));

    /// <summary>The categorical values an item holds (choices, taxonomy paths, rating, number, date, pairwise side).</summary>
    internal static IEnumerable<string> Values(ResultItem item, string type)
    {
        var resultType = ResultTypes.Of(type);
        if (resultType.Kind is not (ResultKind.Classification or ResultKind.Number) || !item.Value.TryGetProperty(resultType.ValueKey, out var value))
        {
            return [];
        }
        if (type is "choices" or "taxonomy")
        {
            // Lists: of values, or for a taxonomy of paths, each a list of steps.
            return value.ValueKind != JsonValueKind.Array ? []
                : type == "choices" ? value.EnumerateArray().Select(c => c.ToString())
                : value.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Array ? TaxonomyPath(p.EnumerateArray().Select(x => x.ToString())) : TaxonomyPath([p.ToString()]));
        }
        return [resultType.Numeric ? NumberText(value) : value.ToString()];
    }

    /// <summary>
    /// A taxonomy path as one readable value that keeps its steps apart: ["A", "B"] is "A / B", and a step that holds
    /// " / " itself has its slash escaped, so ["A / B"] ("A \\/ B") is a different path.
    /// </summary>
    private static string TaxonomyPath(IEnumerable<string> steps) =>
        string.Join(" / ", steps.Select(s => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal)));

    /// <summary>A number as its value, not its spelling: 4, 4.0 and 4e0 are the same rating.</summary>
    private static string NumberText(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : value.GetRawText();

    private static double? NumberOf(ResultItem item) =>
        item.Value.TryGetProperty(ResultTypes.Of(item.Type).ValueKey, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    private static IEnumerable<string> Texts(ResultItem item) =>
        item.Value.TryGetProperty(ResultTypes.Of(item.Type).ValueKey, out var text)
            ? text.ValueKind switch
            {
                JsonValueKind.Array => text.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!),
                JsonValueKind.String => [text.GetString()!],
                _ => [],
            }
            : [];
}
