using System.Globalization;
using System.Text;
using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// A task's score sheet: every non-cancelled annotation compared with every other one and with every prediction. It is
/// computed when the results or the scoring settings change and stored with the task, so that making any annotation the
/// ground truth needs no comparison at all: accuracies are read off the sheet, and the lowest accuracy per candidate
/// ground truth (<see cref="MinAccuracy"/>) is what the database trigger copies onto the task when the flag moves.
/// Scores are symmetric; a breakdown is kept once per pair with the lower id as reference and mirrored (missing ↔ extra)
/// when read from the other side.
/// </summary>
public sealed class ScoreSheet
{
    private readonly Dictionary<(long, long), ResultScore> _pairs;
    private readonly Dictionary<(long, long), ResultScore> _predictions;

    private ScoreSheet(IReadOnlyList<long> annotations, Dictionary<(long, long), ResultScore> pairs, Dictionary<(long, long), ResultScore> predictions)
    {
        Annotations = annotations;
        _pairs = pairs;
        _predictions = predictions;
    }

    /// <summary>
    /// The stored sheet's keys, named once: the database triggers read <see cref="MinKey"/> to move a task's lowest
    /// accuracy with its ground truth, and the statistics read <see cref="PairsKey"/> and <see cref="PredictionsKey"/>.
    /// </summary>
    public const string MinKey = "min", PairsKey = "pairs", PredictionsKey = "predictions", ControlsKey = "controls";

    /// <summary>The non-cancelled annotations' ids, ascending: the candidates for ground truth.</summary>
    public IReadOnlyList<long> Annotations { get; }

    public static ScoreSheet Empty { get; } = new([], [], []);

    /// <summary>Compares every pair. Cancelled annotations take no part (they have no accuracy and no agreement).</summary>
    public static ScoreSheet Compute(IReadOnlyList<ScoredAnnotation> annotations, IReadOnlyList<ScoredPrediction> predictions, ScoringSettings settings)
    {
        var candidates = annotations.Where(a => !a.WasCancelled).OrderBy(a => a.Id).Select(a => (a.Id, Result: ParsedResult.Parse(a.Result))).ToList();
        var pairs = new Dictionary<(long, long), ResultScore>();
        for (var i = 0; i < candidates.Count; i++)
        {
            for (var j = i + 1; j < candidates.Count; j++)
            {
                pairs[(candidates[i].Id, candidates[j].Id)] = ResultComparer.Compare(candidates[i].Result, candidates[j].Result, settings);
            }
        }
        var scored = new Dictionary<(long, long), ResultScore>();
        if (candidates.Count > 0)
        {
            foreach (var prediction in predictions)
            {
                var result = ParsedResult.Parse(prediction.Result);
                foreach (var (id, annotation) in candidates)
                {
                    scored[(id, prediction.Id)] = ResultComparer.Compare(annotation, result, settings);
                }
            }
        }
        return new ScoreSheet(candidates.Select(c => c.Id).ToList(), pairs, scored);
    }

    /// <summary>The same sheet under other ids (the importer scores by position before the rows have ids).</summary>
    public ScoreSheet WithIds(Func<long, long> annotationId, Func<long, long> predictionId) => new(
        Annotations.Select(annotationId).ToList(),
        _pairs.ToDictionary(p => Ordered(annotationId(p.Key.Item1), annotationId(p.Key.Item2)), p => annotationId(p.Key.Item1) < annotationId(p.Key.Item2) ? p.Value : Mirrored(p.Value)),
        _predictions.ToDictionary(p => (annotationId(p.Key.Item1), predictionId(p.Key.Item2)), p => p.Value));

    /// <summary>How the annotation scores against the ground truth (which is the reference of the breakdown); null when either is not on the sheet or they are the same.</summary>
    public ResultScore? Against(long groundTruth, long annotation)
    {
        if (groundTruth == annotation || !_pairs.TryGetValue(Ordered(groundTruth, annotation), out var score))
        {
            return null;
        }
        return groundTruth < annotation ? score : Mirrored(score);
    }

    /// <summary>How the prediction scores against the ground truth; null when the ground truth is not on the sheet.</summary>
    public ResultScore? PredictionAgainst(long groundTruth, long prediction) => _predictions.GetValueOrDefault((groundTruth, prediction));

    /// <summary>The lowest annotator accuracy if this annotation were the ground truth; null when no other annotation counts.</summary>
    public double? MinAccuracy(long groundTruth)
    {
        double? lowest = null;
        foreach (var other in Annotations)
        {
            // Scores are symmetric: no need to mirror the breakdown to read one.
            if (other != groundTruth && _pairs.TryGetValue(Ordered(groundTruth, other), out var score) && (lowest is null || score.Score < lowest))
            {
                lowest = score.Score;
            }
        }
        return lowest;
    }

    /// <summary>The task's agreement by the project's methodology; the ground truth left out when the settings say so.</summary>
    public double? Agreement(ScoringSettings settings, long? groundTruth)
    {
        var participants = Annotations.Where(a => settings.GroundTruthInAgreement || a != groundTruth).ToList();
        return TaskAgreement.FromScores(participants.Count, (i, j) => _pairs[(participants[i], participants[j])].Score, settings);
    }

    /// <summary>
    /// The stored form: <c>{"min": {annotation: lowest accuracy as ground truth}, "controls": [[from_name, type]],
    /// "pairs": [[a, b, score, controls]], "predictions": [[annotation, prediction, score, controls]]}</c>, each control of
    /// a pair <c>[control, score]</c> or, for regions, <c>[control, score, matched, mismatched, missing, extra, invalid,
    /// mean_overlap]</c>, where <c>control</c> is its place in <c>"controls"</c>. Until 2026-12-07 every pair named its
    /// controls itself (<see cref="Parse"/> reads both); named once a sheet, the benchmark's sheets are 415 bytes instead
    /// of 559, and a rescoring reads and writes sheets whole.
    /// </summary>
    public string ToJson() => Encoding.UTF8.GetString(ToUtf8Json());

    /// <summary>
    /// <see cref="ToJson"/> as UTF-8, written in a pooled buffer and copied out once: what a rescoring sends (a string
    /// and a growing stream per sheet were 7.8 KB of the 41.5 KB that scoring a generated task allocated; now 2.0 KB).
    /// </summary>
    public byte[] ToUtf8Json()
    {
        using var buffer = new Data.PooledJson();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MinKey);
            foreach (var id in Annotations)
            {
                json.WritePropertyName(id.ToString(CultureInfo.InvariantCulture));
                WriteNumber(json, MinAccuracy(id));
            }
            json.WriteEndObject();
            var (pairs, predictions) = (_pairs.OrderBy(p => p.Key).ToList(), _predictions.OrderBy(p => p.Key).ToList());
            // A few controls a project: a list searched beats a dictionary hashing two strings a lookup.
            var controls = new List<(string FromName, string Type)>();
            foreach (var control in pairs.Concat(predictions).SelectMany(p => p.Value.Controls))
            {
                if (!controls.Contains((control.FromName, control.Type)))
                {
                    controls.Add((control.FromName, control.Type));
                }
            }
            json.WriteStartArray(ControlsKey);
            foreach (var (fromName, type) in controls)
            {
                json.WriteStartArray();
                json.WriteStringValue(fromName);
                json.WriteStringValue(type);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            WritePairs(json, PairsKey, pairs, controls);
            WritePairs(json, PredictionsKey, predictions, controls);
            json.WriteEndObject();
        }
        return buffer.Written.ToArray();
    }

    public static ScoreSheet Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored))
        {
            return Empty;
        }
        using var document = JsonDocument.Parse(stored);
        var root = document.RootElement;
        var annotations = root.GetProperty(MinKey).EnumerateObject().Select(p => long.Parse(p.Name, CultureInfo.InvariantCulture)).Order().ToList();
        // A sheet written before 2026-12-07 has no control list and names the control in each pair; it reads the same.
        var controls = root.TryGetProperty(ControlsKey, out var list) ? list.EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!)).ToList() : null;
        return new ScoreSheet(annotations, ReadPairs(root, PairsKey, controls), ReadPairs(root, PredictionsKey, controls));
    }

    private static (long, long) Ordered(long a, long b) => a < b ? (a, b) : (b, a);

    private static ResultScore Mirrored(ResultScore score) => new(score.Score, score.Controls.Select(c => c.Regions is { } r
        ? c with { Regions = r with { Missing = r.Extra, Extra = r.Missing } }
        : c).ToList());

    private static void WritePairs(Utf8JsonWriter json, string name, IEnumerable<KeyValuePair<(long, long), ResultScore>> pairs, List<(string FromName, string Type)> controls)
    {
        json.WriteStartArray(name);
        foreach (var ((a, b), score) in pairs)
        {
            json.WriteStartArray();
            json.WriteNumberValue(a);
            json.WriteNumberValue(b);
            json.WriteNumberValue(score.Score);
            json.WriteStartArray();
            foreach (var control in score.Controls)
            {
                json.WriteStartArray();
                json.WriteNumberValue(controls.IndexOf((control.FromName, control.Type)));
                json.WriteNumberValue(control.Score);
                if (control.Regions is { } r)
                {
                    json.WriteNumberValue(r.Matched);
                    json.WriteNumberValue(r.Mismatched);
                    json.WriteNumberValue(r.Missing);
                    json.WriteNumberValue(r.Extra);
                    json.WriteNumberValue(r.Invalid);
                    WriteNumber(json, control.MeanOverlap);
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }

    /// <summary>A list of pairs; <paramref name="controls"/> names them, or is null where each control names itself.</summary>
    private static Dictionary<(long, long), ResultScore> ReadPairs(JsonElement root, string name, List<(string FromName, string Type)>? controls)
    {
        var pairs = new Dictionary<(long, long), ResultScore>();
        if (!root.TryGetProperty(name, out var list))
        {
            return pairs;
        }
        // Where the control's score is: after its place in the list, or after its name and type.
        var at = controls is null ? 2 : 1;
        foreach (var pair in list.EnumerateArray())
        {
            var scores = pair[3].EnumerateArray().Select(c =>
            {
                var (fromName, type) = controls is null ? (c[0].GetString()!, c[1].GetString()!) : controls[c[0].GetInt32()];
                return c.GetArrayLength() > at + 1
                    ? new ControlScore(fromName, type, c[at].GetDouble(),
                        new RegionCounts(c[at + 1].GetInt32(), c[at + 2].GetInt32(), c[at + 3].GetInt32(), c[at + 4].GetInt32(), c[at + 5].GetInt32()),
                        c[at + 6].ValueKind == JsonValueKind.Null ? null : c[at + 6].GetDouble())
                    : new ControlScore(fromName, type, c[at].GetDouble());
            }).ToList();
            pairs[(pair[0].GetInt64(), pair[1].GetInt64())] = new ResultScore(pair[2].GetDouble(), scores);
        }
        return pairs;
    }

    private static void WriteNumber(Utf8JsonWriter json, double? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            json.WriteNumberValue(value.Value);
        }
    }
}
