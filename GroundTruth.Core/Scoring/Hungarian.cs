namespace GroundTruth.Core.Scoring;

/// <summary>
/// The Hungarian algorithm (Kuhn–Munkres, O(n³)) for a maximum-weight one-to-one assignment on a rectangular matrix.
/// Pairs of weight 0 mean "no edge" and are never returned. The matrix is <paramref name="rows"/> × <paramref name="columns"/>
/// row by row in one array: scoring builds several per comparison, and a <c>double[,]</c> costs several times as much
/// to allocate.
/// </summary>
public static class Hungarian
{
    public static IReadOnlyList<(int Row, int Column)> MaximumWeight(double[] weights, int rows, int columns)
    {
        var n = Math.Max(rows, columns);
        if (n == 0)
        {
            return [];
        }
        // Fast path, the common case for regions: every row and column has at most one edge, so the edges are the answer.
        var rowEdges = new int[rows];
        var columnEdges = new int[columns];
        var max = 0.0;
        var simple = true;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var w = weights[(i * columns) + j];
                if (w > 0)
                {
                    max = Math.Max(max, w);
                    simple &= ++rowEdges[i] == 1 & ++columnEdges[j] == 1;
                }
            }
        }
        if (simple)
        {
            var edges = new List<(int, int)>();
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < columns; j++)
                {
                    if (weights[(i * columns) + j] > 0)
                    {
                        edges.Add((i, j));
                    }
                }
            }
            return edges;
        }
        // Minimise cost = max − weight on a square matrix padded with zero-weight cells.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var match = new int[n + 1];
        var way = new int[n + 1];
        for (var i = 1; i <= n; i++)
        {
            match[0] = i;
            var j0 = 0;
            var minimum = new double[n + 1];
            Array.Fill(minimum, double.PositiveInfinity);
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                int i0 = match[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }
                    var cost = max - (i0 <= rows && j <= columns ? weights[((i0 - 1) * columns) + j - 1] : 0);
                    var current = cost - u[i0] - v[j];
                    if (current < minimum[j])
                    {
                        minimum[j] = current;
                        way[j] = j0;
                    }
                    if (minimum[j] < delta)
                    {
                        delta = minimum[j];
                        j1 = j;
                    }
                }
                for (var j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[match[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minimum[j] -= delta;
                    }
                }
                j0 = j1;
            }
            while (match[j0] != 0);
            do
            {
                var j1 = way[j0];
                match[j0] = match[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }
        var pairs = new List<(int, int)>();
        for (var j = 1; j <= n; j++)
        {
            var i = match[j];
            if (i >= 1 && i <= rows && j <= columns && weights[((i - 1) * columns) + j - 1] > 0)
            {
                pairs.Add((i - 1, j - 1));
            }
        }
        // Rows are distinct, so the order is one however it is sorted.
        pairs.Sort((x, y) => x.Item1.CompareTo(y.Item1));
        return pairs;
    }
}
