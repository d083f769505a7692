namespace GroundTruth.Core.Scoring;

public enum AlphaLevel
{
    Nominal,
    Ordinal,
    Interval,
    Ratio,
}

/// <summary>
/// Krippendorff's alpha over a coders × units table with missing values (null), via the coincidence matrix:
/// alpha = 1 − (n − 1) · Σ o_ck δ_ck / Σ n_c n_k δ_ck.
/// </summary>
public static class KrippendorffAlpha
{
    /// <summary>Alpha for categorical values of any kind (nominal level). Null when undefined (fewer than two pairable values, or no variation).</summary>
    public static double? Nominal<T>(IReadOnlyList<IReadOnlyList<T?>> codersByUnits)
        where T : class
    {
        var categories = codersByUnits.SelectMany(c => c).OfType<T>().Distinct().ToList();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => (double)x.i);
        var numeric = codersByUnits.Select(c => (IReadOnlyList<double?>)c.Select(v => v is null ? (double?)null : index[v]).ToList()).ToList();
        return Compute(numeric, AlphaLevel.Nominal);
    }

    public static double? Compute(IReadOnlyList<IReadOnlyList<double?>> codersByUnits, AlphaLevel level) =>
        Compute(codersByUnits, level switch
        {
            AlphaLevel.Nominal => (values, _, c, k) => c == k ? 0 : 1,
            AlphaLevel.Interval => (values, _, c, k) => Math.Pow(values[c] - values[k], 2),
            AlphaLevel.Ratio => (values, _, c, k) => values[c] + values[k] == 0 ? 0 : Math.Pow((values[c] - values[k]) / (values[c] + values[k]), 2),
            _ => (values, n, c, k) =>
            {
                var (low, high) = c <= k ? (c, k) : (k, c);
                var between = 0.0;
                for (var g = low; g <= high; g++)
                {
                    between += n[g];
                }
                return Math.Pow(between - ((n[c] + n[k]) / 2), 2);
            }
            ,
        });

    /// <summary>Alpha with any distance between two values (given their sorted positions and each value's total count).</summary>
    public static double? Compute(IReadOnlyList<IReadOnlyList<double?>> codersByUnits, Func<double[], double[], int, int, double> distance)
    {
        var values = codersByUnits.SelectMany(c => c).OfType<double>().Distinct().Order().ToArray();
        var position = values.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        var units = codersByUnits.Count == 0 ? 0 : codersByUnits.Max(c => c.Count);
        var o = new double[values.Length, values.Length];
        for (var u = 0; u < units; u++)
        {
            var pairable = codersByUnits.Select(c => u < c.Count ? c[u] : null).OfType<double>().Select(v => position[v]).ToList();
            if (pairable.Count < 2)
            {
                continue;
            }
            for (var i = 0; i < pairable.Count; i++)
            {
                for (var j = 0; j < pairable.Count; j++)
                {
                    if (i != j)
                    {
                        o[pairable[i], pairable[j]] += 1.0 / (pairable.Count - 1);
                    }
                }
            }
        }
        var n = new double[values.Length];
        for (var c = 0; c < values.Length; c++)
        {
            for (var k = 0; k < values.Length; k++)
            {
                n[c] += o[c, k];
            }
        }
        var total = n.Sum();
        if (total <= 1)
        {
            return null;
        }
        double observed = 0, expected = 0;
        for (var c = 0; c < values.Length; c++)
        {
            for (var k = 0; k < values.Length; k++)
            {
                var delta = distance(values, n, c, k);
                observed += o[c, k] * delta;
                expected += n[c] * n[k] * delta;
            }
        }
        return expected == 0 ? null : 1 - ((total - 1) * observed / expected);
    }
}
