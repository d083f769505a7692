namespace GroundTruth.Core.Scoring;

/// <summary>
/// Agreement of a task's annotations: pairwise (the mean score over all pairs) or consensus (the share of annotations
/// that score at least the threshold against the most agreed-with one). Fewer than two annotations: no agreement (null).
/// </summary>
public static class TaskAgreement
{
    /// <summary>Every pair's score; the diagonal is 1.</summary>
    public static double[,] Matrix(IReadOnlyList<ParsedResult> results, ScoringSettings settings) =>
        Matrix(results.Count, (i, j) => ResultComparer.Compare(results[i], results[j], settings).Score);

    /// <summary>A symmetric matrix of <paramref name="n"/> participants from each pair's score (asked once, i &lt; j); the diagonal is 1.</summary>
    public static double[,] Matrix(int n, Func<int, int, double> score)
    {
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            matrix[i, i] = 1;
            for (var j = i + 1; j < n; j++)
            {
                matrix[i, j] = matrix[j, i] = score(i, j);
            }
        }
        return matrix;
    }

    public static double? Compute(IReadOnlyList<ParsedResult> annotations, ScoringSettings settings) =>
        annotations.Count < 2 ? null : FromMatrix(Matrix(annotations, settings), settings);

    /// <summary>
    /// The agreement of <paramref name="n"/> participants from each pair's score (asked once, i &lt; j), as
    /// <see cref="FromMatrix"/> gives it; the pairwise mean is summed straight from the scores, without a matrix, as every
    /// task of a rescoring needs it.
    /// </summary>
    public static double? FromScores(int n, Func<int, int, double> score, ScoringSettings settings)
    {
        if (n < 2 || settings.Methodology != AgreementMethodology.Pairwise)
        {
            return FromMatrix(Matrix(n, score), settings);
        }
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                sum += score(i, j);
            }
        }
        return sum / (n * (n - 1) / 2.0);
    }

    /// <summary>The agreement of the participants a matrix describes, by the project's methodology.</summary>
    public static double? FromMatrix(double[,] matrix, ScoringSettings settings)
    {
        var n = matrix.GetLength(0);
        if (n < 2)
        {
            return null;
        }
        if (settings.Methodology == AgreementMethodology.Pairwise)
        {
            return FromScores(n, (i, j) => matrix[i, j], settings);
        }
        // Consensus: the annotation others agree with most, then the share of annotations (itself included) close to it.
        var best = Enumerable.Range(0, n).MaxBy(i => Enumerable.Range(0, n).Where(j => j != i).Sum(j => matrix[i, j]));
        return Enumerable.Range(0, n).Count(j => j == best || matrix[best, j] + 1e-9 >= settings.Threshold) / (double)n;
    }
}
