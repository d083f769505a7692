namespace GroundTruth.Core.Scoring;

/// <summary>
/// Edit distances for textarea results: characters and words. A character is a Unicode code point, as Label Studio (in
/// Python) counts it: an emoji is one character, not the two UTF-16 units .NET stores it as.
/// </summary>
public static class TextSimilarity
{
    public static int Levenshtein(string a, string b) => Levenshtein<int>(CodePoints(a), CodePoints(b));

    /// <summary>1 − d / max(len a, len b), lengths in code points; two empty texts are identical (1).</summary>
    public static double Similarity(string a, string b)
    {
        var (x, y) = (CodePoints(a), CodePoints(b));
        return x.Length == 0 && y.Length == 0 ? 1 : 1 - ((double)Levenshtein<int>(x, y) / Math.Max(x.Length, y.Length));
    }

    /// <summary>Character error rate of <paramref name="hypothesis"/> against the reference text, in code points.</summary>
    public static double CharacterErrorRate(string reference, string hypothesis)
    {
        var (r, h) = (CodePoints(reference), CodePoints(hypothesis));
        return r.Length == 0 ? (h.Length == 0 ? 0 : 1) : (double)Levenshtein<int>(r, h) / r.Length;
    }

    private static int[] CodePoints(string text) => [.. text.EnumerateRunes().Select(r => r.Value)];

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
