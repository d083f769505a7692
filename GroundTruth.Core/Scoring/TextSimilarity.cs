namespace GroundTruth.Core.Scoring;

/// <summary>Edit distances for textarea results: characters and words.</summary>
public static class TextSimilarity
{
    public static int Levenshtein(string a, string b) => Levenshtein(a.AsSpan(), b.AsSpan());

    /// <summary>1 − d / max(len a, len b); two empty texts are identical (1).</summary>
    public static double Similarity(string a, string b) =>
        a.Length == 0 && b.Length == 0 ? 1 : 1 - ((double)Levenshtein(a, b) / Math.Max(a.Length, b.Length));

    /// <summary>Character error rate of <paramref name="hypothesis"/> against the reference text.</summary>
    public static double CharacterErrorRate(string reference, string hypothesis) =>
        reference.Length == 0 ? (hypothesis.Length == 0 ? 0 : 1) : (double)Levenshtein(reference, hypothesis) / reference.Length;

    /// <summary>Word error rate: word-level edit distance over the reference's word count.</summary>
    public static double WordErrorRate(string reference, string hypothesis)
    {
        var r = reference.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var h = hypothesis.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return r.Length == 0 ? (h.Length == 0 ? 0 : 1) : (double)Levenshtein<string>(r, h) / r.Length;
    }

    private static int Levenshtein<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IEquatable<T>
    {
        if (a.Length < b.Length)
        {
            var swap = a;
            a = b;
            b = swap;
        }
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1].Equals(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
