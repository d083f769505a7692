namespace GroundTruth.Core.Scoring;

/// <summary>
/// Percent agreement and Gwet's AC1 for any number of raters with missing ratings (Gwet 2014): agreement over units
/// rated at least twice; chance from the category prevalence over all rated units.
/// </summary>
public static class GwetAc1
{
    public static double? PercentAgreement(IReadOnlyList<IReadOnlyList<string?>> codersByUnits) => Compute(codersByUnits).Agreement;

    public static double? Ac1(IReadOnlyList<IReadOnlyList<string?>> codersByUnits) => Compute(codersByUnits).Ac1;

    private static (double? Agreement, double? Ac1) Compute(IReadOnlyList<IReadOnlyList<string?>> codersByUnits)
    {
        var units = codersByUnits.Count == 0 ? 0 : codersByUnits.Max(c => c.Count);
        var ratings = Enumerable.Range(0, units)
            .Select(u => codersByUnits.Select(c => u < c.Count ? c[u] : null).OfType<string>().ToList())
            .Where(r => r.Count > 0)
            .ToList();
        var categories = ratings.SelectMany(r => r).Distinct().ToList();
        var pairable = ratings.Where(r => r.Count >= 2).ToList();
        if (pairable.Count == 0)
        {
            return (null, null);
        }
        var agreement = pairable.Average(r => r.GroupBy(v => v).Sum(g => g.Count() * (g.Count() - 1.0)) / (r.Count * (r.Count - 1.0)));
        if (categories.Count < 2)
        {
            return (agreement, null);
        }
        var chance = categories
            .Select(k => ratings.Average(r => r.Count(v => v == k) / (double)r.Count))
            .Sum(p => p * (1 - p)) / (categories.Count - 1);
        return (agreement, chance >= 1 ? null : (agreement - chance) / (1 - chance));
    }
}
