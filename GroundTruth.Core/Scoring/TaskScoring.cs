using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>An annotation as scoring sees it.</summary>
public sealed record ScoredAnnotation(long Id, bool WasCancelled, bool GroundTruth, string Result);

/// <summary>A prediction as scoring sees it.</summary>
public sealed record ScoredPrediction(long Id, string Result);

/// <summary>One annotation's or prediction's stored score: accuracy against the ground truth and its breakdown JSON.</summary>
public sealed record StoredScore(long Id, double? Accuracy, string? Breakdown);

/// <summary>Everything stored about a task's scores.</summary>
public sealed record TaskScores(double? Agreement, double? MinAccuracy, IReadOnlyList<StoredScore> Annotations, IReadOnlyList<StoredScore> Predictions);

/// <summary>
/// The scores of one task from its annotations and predictions: agreement over the non-cancelled annotations (the
/// ground truth included unless the settings say otherwise), and each annotation's and prediction's accuracy against
/// the ground truth (none for the ground truth itself, for cancelled annotations, or when the task has no ground truth).
/// </summary>
public static class TaskScoring
{
    /// <param name="withAgreement">False to skip the agreement (returned as null) when only accuracies are needed.</param>
    public static TaskScores Compute(IReadOnlyList<ScoredAnnotation> annotations, IReadOnlyList<ScoredPrediction> predictions, ScoringSettings settings, bool withAgreement = true)
    {
        var parsed = annotations.ToDictionary(a => a.Id, a => a.WasCancelled ? ParsedResult.Empty : ParsedResult.Parse(a.Result));
        var groundTruth = annotations.FirstOrDefault(a => a.GroundTruth && !a.WasCancelled);
        var agreeing = annotations.Where(a => !a.WasCancelled && (settings.GroundTruthInAgreement || !a.GroundTruth)).Select(a => parsed[a.Id]).ToList();
        var agreement = withAgreement ? TaskAgreement.Compute(agreeing, settings) : null;

        StoredScore Against(long id, ParsedResult result)
        {
            var score = ResultComparer.Compare(parsed[groundTruth!.Id], result, settings);
            return new StoredScore(id, score.Score, Breakdown(score));
        }

        var annotationScores = annotations.Select(a => groundTruth is null || a.WasCancelled || a.Id == groundTruth.Id
            ? new StoredScore(a.Id, null, null)
            : Against(a.Id, parsed[a.Id])).ToList();
        var predictionScores = predictions.Select(p => groundTruth is null
            ? new StoredScore(p.Id, null, null)
            : Against(p.Id, ParsedResult.Parse(p.Result))).ToList();
        var minimum = annotationScores.Where(s => s.Accuracy is not null).Select(s => s.Accuracy).DefaultIfEmpty(null).Min();
        return new TaskScores(agreement, minimum, annotationScores, predictionScores);
    }

    /// <summary>The breakdown as stored and served: the score and each control's figures.</summary>
    public static string Breakdown(ResultScore score)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("score", Math.Round(score.Score, 6));
            json.WriteStartArray("controls");
            foreach (var control in score.Controls)
            {
                json.WriteStartObject();
                json.WriteString("from_name", control.FromName);
                json.WriteString("type", control.Type);
                json.WriteNumber("score", Math.Round(control.Score, 6));
                if (control.Regions is { } r)
                {
                    json.WriteNumber("matched", r.Matched);
                    json.WriteNumber("mismatched", r.Mismatched);
                    json.WriteNumber("missing", r.Missing);
                    json.WriteNumber("extra", r.Extra);
                    json.WriteNumber("invalid", r.Invalid);
                    Nullable(json, "precision", r.Precision);
                    Nullable(json, "recall", r.Recall);
                    Nullable(json, "f1", r.F1);
                    Nullable(json, "mean_overlap", control.MeanOverlap);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Nullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, Math.Round(value.Value, 6));
        }
    }
}
