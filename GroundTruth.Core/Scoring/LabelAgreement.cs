namespace GroundTruth.Core.Scoring;

/// <summary>
/// Agreement per label, for Label Studio's <c>per_label</c> statistics: over pairs of results (ground truth and another,
/// or two annotators), every control's values (or regions) are paired as the confusion matrix pairs them, and a label
/// scores <c>both / (first + second − both)</c> — the Jaccard index of its uses: how often both sides used it on the
/// same item out of how often either did. 1 when every use is matched, 0 when none is.
/// </summary>
public sealed class LabelAgreement
{
    private readonly Dictionary<string, (int Both, int First, int Second)> _counts = new(StringComparer.Ordinal);

    public void Add(ParsedResult first, ParsedResult second, ScoringSettings settings)
    {
        foreach (var control in first.Controls.Keys.Union(second.Controls.Keys))
        {
            foreach (var (a, b) in ResultComparer.LabelPairs(first, second, control, settings))
            {
                if (a is not null)
                {
                    Count(a, a == b, first: true);
                }
                if (b is not null && b != a)
                {
                    Count(b, both: false, first: false);
                }
            }
        }
    }

    private void Count(string label, bool both, bool first)
    {
        var (b, f, s) = _counts.GetValueOrDefault(label);
        // A matched use counts once for each side, and once as both.
        _counts[label] = both ? (b + 1, f + 1, s + 1) : first ? (b, f + 1, s) : (b, f, s + 1);
    }

    /// <summary>Each label's score, by label, rounded to six places.</summary>
    public IReadOnlyDictionary<string, double> Scores() => _counts.OrderBy(c => c.Key, StringComparer.Ordinal)
        .ToDictionary(c => c.Key, c => Math.Round((double)c.Value.Both / (c.Value.First + c.Value.Second - c.Value.Both), 6), StringComparer.Ordinal);
}
