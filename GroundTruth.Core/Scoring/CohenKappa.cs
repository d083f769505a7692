namespace GroundTruth.Core.Scoring;

public enum KappaWeighting
{
    Unweighted,
    Linear,
    Quadratic,
}

/// <summary>Cohen's kappa for two raters, unweighted or weighted by the distance between category positions.</summary>
public static class CohenKappa
{
    /// <summary>Kappa of two raters' labels for the same items; categories are ordered by their natural order. Null when undefined.</summary>
    public static double? Compute<T>(IReadOnlyList<T> a, IReadOnlyList<T> b, KappaWeighting weighting = KappaWeighting.Unweighted)
        where T : notnull, IComparable<T>
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException("Both raters must label the same items.");
        }
        var categories = a.Concat(b).Distinct().Order().ToList();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var table = new double[categories.Count, categories.Count];
        for (var i = 0; i < a.Count; i++)
        {
            table[index[a[i]], index[b[i]]]++;
        }
        return FromContingency(table, weighting);
    }

    /// <summary>Kappa from a contingency table: rows are rater 1's categories, columns rater 2's, in the same order.</summary>
    public static double? FromContingency(double[,] table, KappaWeighting weighting = KappaWeighting.Unweighted)
    {
        var k = table.GetLength(0);
        if (k != table.GetLength(1))
        {
            throw new ArgumentException("The contingency table must be square.");
        }
        var rows = new double[k];
        var columns = new double[k];
        var total = 0.0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                rows[i] += table[i, j];
                columns[j] += table[i, j];
                total += table[i, j];
            }
        }
        if (total == 0)
        {
            return null;
        }
        double observed = 0, expected = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var w = weighting switch
                {
                    KappaWeighting.Linear => Math.Abs(i - j),
                    KappaWeighting.Quadratic => (i - j) * (i - j),
                    _ => i == j ? 0 : 1,
                };
                observed += w * table[i, j] / total;
                expected += w * rows[i] * columns[j] / (total * total);
            }
        }
        return expected == 0 ? null : 1 - (observed / expected);
    }
}
