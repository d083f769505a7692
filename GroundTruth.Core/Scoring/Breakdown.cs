using System.Text.Json;

namespace GroundTruth.Core.Scoring;

/// <summary>A comparison's breakdown as served: the score and each control's figures, rounded to 6 decimals.</summary>
public static class Breakdown
{
    public static string ToJson(ResultScore score)
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
