using System.Globalization;
using System.Text.Json.Serialization;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Web.Api;

/// <summary>An annotator's figure beside Label Studio's id-keyed score: who, over how many tasks, and its 95% interval.</summary>
public sealed record AnnotatorStatAnswer(long Id, string Email, double Score, int Tasks, double CiLow, double CiHigh);

/// <summary>Label Studio's <c>{"agreement": {annotator id: score}}</c>, with each annotator's sample beside it.</summary>
public sealed record ByAnnotatorAnswer(IReadOnlyDictionary<string, double> Agreement, IReadOnlyList<AnnotatorStatAnswer> Annotators);

/// <summary>Label Studio's per-label form: <c>{"agreement": {annotator id: {label: score}}}</c>.</summary>
public sealed record PerLabelAnswer(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Agreement);

/// <summary>A task's agreement matrix: Label Studio's <c>matrix</c> and <c>users</c> (each an annotation or a prediction).</summary>
public sealed record MatrixAnswer(IReadOnlyList<IReadOnlyList<double>> Matrix, IReadOnlyList<Participant> Users, bool GroundTruthShown);

public sealed record UserAnswer(long Id, string Email);

/// <summary>Label Studio's IAA: pair agreement, shared tasks, the annotators in matrix order, and with <c>std</c> the deviation.</summary>
public sealed record PairwiseAnswer(
    [property: JsonPropertyName("IAA")] IReadOnlyList<IReadOnlyList<double>> Agreement,
    IReadOnlyList<IReadOnlyList<int>> CommonTasks,
    IReadOnlyList<UserAnswer> Users,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Std);

public sealed record ConfusionPairAnswer(string Actual, string Label, int Count, double Rate);

/// <summary>
/// Label Studio's confusion matrix: <c>labels</c> (ours end with "(unmatched)": a region or value the other side has
/// no counterpart for), rows the first side (the ground truth in <c>ground_truth</c> mode), precision and recall per
/// label (0 where undefined; <c>per_label</c> has null there), and the most frequent confusions.
/// </summary>
public sealed record ConfusionAnswer(string FromName, IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<int>> Matrix, IReadOnlyList<double> Precision,
    IReadOnlyList<double> Recall, IReadOnlyList<ConfusionPairAnswer> TopConfusionPairs, IReadOnlyList<LabelQuality> PerLabel);

/// <summary>Label Studio's agreement distribution, with the threshold it counts low agreement by and the tasks it leaves out.</summary>
public sealed record DistributionAnswer(double? AverageAgreement, IReadOnlyList<int> Histogram, int LowAgreementCount, int TotalTasks, double LowAgreementBelow,
    int TasksWithoutAgreement);

/// <summary>Core's statistics in Label Studio's shapes, keyed by annotator id as its API keys them.</summary>
internal static class StatisticsAnswers
{
    private const int TopPairs = 10;

    private static string Key(long id) => id.ToString(CultureInfo.InvariantCulture);

    public static ByAnnotatorAnswer ByAnnotator(IReadOnlyList<AccuracyStat> stats) => new(
        stats.ToDictionary(s => Key(s.MemberId ?? 0), s => s.Accuracy),
        [.. stats.Select(s => new AnnotatorStatAnswer(s.MemberId ?? 0, s.Member, s.Accuracy, s.Tasks, s.CiLow, s.CiHigh))]);

    public static PerLabelAnswer PerLabel(IReadOnlyDictionary<long, IReadOnlyDictionary<string, double>> scores) =>
        new(scores.ToDictionary(s => Key(s.Key), s => s.Value));

    /// <summary>
    /// One figure under Label Studio's name for it, with its sample beside it. Without data the figure is left out (or
    /// null where Label Studio's schema allows null), and <c>tasks</c> says 0.
    /// </summary>
    public static Dictionary<string, object?> One(string name, AccuracyStat? stat, bool nullWhenNone = false)
    {
        var answer = new Dictionary<string, object?>(StringComparer.Ordinal) { ["tasks"] = stat?.Tasks ?? 0 };
        if (stat is not null)
        {
            answer[name] = stat.Accuracy;
            answer["ci_low"] = stat.CiLow;
            answer["ci_high"] = stat.CiHigh;
        }
        else if (nullWhenNone)
        {
            answer[name] = null;
        }
        return answer;
    }

    public static Dictionary<string, object?> OnePerLabel(string name, IReadOnlyDictionary<string, double>? scores) =>
        new(StringComparer.Ordinal) { [name] = scores ?? new Dictionary<string, double>() };

    public static MatrixAnswer Matrix(AgreementMatrix matrix) => new(matrix.Matrix, matrix.Participants, matrix.GroundTruthShown);

    public static PairwiseAnswer Pairwise(PairwiseAgreement pairwise, bool std) =>
        new(pairwise.Agreement, pairwise.CommonTasks, [.. pairwise.Annotators.Select(a => new UserAnswer(a.Id, a.Email))], std ? pairwise.StandardDeviation ?? 0 : null);

    public static ConfusionAnswer Confusion(ConfusionMatrix matrix)
    {
        var quality = matrix.PerLabel.ToDictionary(q => q.Label);
        var labels = matrix.Rows;
        var pairs = new List<ConfusionPairAnswer>();
        for (var r = 0; r < labels.Count; r++)
        {
            var total = matrix.Matrix[r].Sum();
            for (var c = 0; c < labels.Count; c++)
            {
                if (r != c && matrix.Matrix[r][c] > 0)
                {
                    pairs.Add(new ConfusionPairAnswer(labels[r], labels[c], matrix.Matrix[r][c], Math.Round((double)matrix.Matrix[r][c] / total, 6)));
                }
            }
        }
        return new ConfusionAnswer(matrix.FromName, labels, matrix.Matrix,
            [.. labels.Select(l => quality.GetValueOrDefault(l)?.Precision ?? 0)], [.. labels.Select(l => quality.GetValueOrDefault(l)?.Recall ?? 0)],
            [.. pairs.OrderByDescending(p => p.Count).ThenBy(p => p.Actual, StringComparer.Ordinal).ThenBy(p => p.Label, StringComparer.Ordinal).Take(TopPairs)],
            matrix.PerLabel);
    }

    public static DistributionAnswer Distribution(AgreementDistribution distribution) => new(distribution.Average, distribution.Histogram, distribution.LowAgreement,
        distribution.Tasks, ScoreStatisticsService.LowAgreement, distribution.TasksWithoutAgreement);
}
