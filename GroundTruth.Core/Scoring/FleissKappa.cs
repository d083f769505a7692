namespace GroundTruth.Core.Scoring;

/// <summary>Fleiss' kappa: many raters, the same number per subject.</summary>
public static class FleissKappa
{
    /// <summary>From counts[subject][category] = how many raters put the subject in the category. Null when undefined.</summary>
    public static double? Compute(IReadOnlyList<IReadOnlyList<int>> counts)
    {
        if (counts.Count == 0)
        {
            return null;
        }
        var raters = counts[0].Sum();
        if (raters < 2 || counts.Any(row => row.Sum() != raters))
        {
            throw new ArgumentException("Fleiss' kappa needs the same number (at least 2) of raters for every subject.");
        }
        var categories = counts[0].Count;
        var subjects = counts.Count;
        var agreement = counts.Average(row => (row.Sum(n => (double)n * n) - raters) / (raters * (raters - 1.0)));
        var chance = Enumerable.Range(0, categories)
            .Select(j => counts.Sum(row => (double)row[j]) / (subjects * raters))
            .Sum(p => p * p);
        return chance >= 1 ? null : (agreement - chance) / (1 - chance);
    }
}
