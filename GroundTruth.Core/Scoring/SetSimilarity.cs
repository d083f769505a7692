namespace GroundTruth.Core.Scoring;

/// <summary>Agreement between two sets of labels (multi-choice, taxonomy paths).</summary>
public static class SetSimilarity
{
    /// <summary>|A ∩ B| / |A ∪ B|; two empty sets are identical (1).</summary>
    public static double Jaccard<T>(IEnumerable<T> a, IEnumerable<T> b)
    {
        var x = a.ToHashSet();
        var y = b.ToHashSet();
        var union = x.Union(y).Count();
        return union == 0 ? 1 : (double)x.Intersect(y).Count() / union;
    }

    /// <summary>MASI distance (Passonneau 2006): 1 − Jaccard × monotonicity (1 equal, 0.67 subset, 0.33 overlap, 0 disjoint).</summary>
    public static double MasiDistance<T>(IEnumerable<T> a, IEnumerable<T> b)
    {
        var x = a.ToHashSet();
        var y = b.ToHashSet();
        var monotonicity = x.SetEquals(y) ? 1.0 : x.IsSubsetOf(y) || y.IsSubsetOf(x) ? 0.67 : x.Overlaps(y) ? 0.33 : 0.0;
        return 1 - (Jaccard(x, y) * monotonicity);
    }
}
