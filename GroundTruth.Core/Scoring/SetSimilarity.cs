namespace GroundTruth.Core.Scoring;

/// <summary>Agreement between two sets of labels (multi-choice, taxonomy paths).</summary>
public static class SetSimilarity
{
    /// <summary>|A ∩ B| / |A ∪ B|; two empty sets are identical (1).</summary>
    public static double Jaccard<T>(IEnumerable<T> a, IEnumerable<T> b)
    {
        if (a is IReadOnlyList<T> { Count: <= SmallSet } small && b is IReadOnlyList<T> { Count: <= SmallSet } other)
        {
            return SmallJaccard(small, other);
        }
        var x = a.ToHashSet();
        var y = b.ToHashSet();
        // Counted, not built: a choice is compared this way millions of times in a rescoring.
        var common = x.Count(y.Contains);
        var union = x.Count + y.Count - common;
        return union == 0 ? 1 : (double)common / union;
    }

    /// <summary>Lists up to this long are compared in place: a choice or two, where building two hash sets cost more than comparing.</summary>
    private const int SmallSet = 8;

    /// <summary><see cref="Jaccard{T}"/> of two short lists, each value counted once however often it occurs.</summary>
    private static double SmallJaccard<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        var comparer = EqualityComparer<T>.Default;
        int distinctA = 0, distinctB = 0, common = 0;
        for (var i = 0; i < a.Count; i++)
        {
            if (!Occurs(a, i, a[i], comparer))
            {
                distinctA++;
                common += Occurs(b, b.Count, a[i], comparer) ? 1 : 0;
            }
        }
        for (var j = 0; j < b.Count; j++)
        {
            distinctB += Occurs(b, j, b[j], comparer) ? 0 : 1;
        }
        var union = distinctA + distinctB - common;
        return union == 0 ? 1 : (double)common / union;
    }

    /// <summary>Whether the value is among the list's first <paramref name="before"/> items.</summary>
    private static bool Occurs<T>(IReadOnlyList<T> list, int before, T value, EqualityComparer<T> comparer)
    {
        for (var i = 0; i < before; i++)
        {
            if (comparer.Equals(list[i], value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Σ weight(A ∩ B) / Σ weight(A ∪ B): the Jaccard index with each label counted by its weight. Labels that weigh
    /// nothing are left out; when nothing that weighs remains on either side, the sets agree (1).
    /// </summary>
    public static double WeightedJaccard(IEnumerable<string> a, IEnumerable<string> b, Func<string, double> weight)
    {
        var x = a.ToHashSet(StringComparer.Ordinal);
        var y = b.ToHashSet(StringComparer.Ordinal);
        // Summed in the order Union and Intersect would give, so the score stays the same to the last bit.
        var union = x.Sum(weight) + y.Where(v => !x.Contains(v)).Sum(weight);
        return union == 0 ? 1 : x.Where(y.Contains).Sum(weight) / union;
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
