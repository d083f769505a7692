using System.Globalization;
using System.Text.Json;

namespace GroundTruth.Web.Components.Results;

/// <summary>A stored accuracy breakdown as the hover text of the accuracy line: one line per control.</summary>
public static class BreakdownText
{
    public static string Of(JsonElement? breakdown)
    {
        if (breakdown is not { ValueKind: JsonValueKind.Object } value || !value.TryGetProperty("controls", out var controls) || controls.ValueKind != JsonValueKind.Array)
        {
            return "";
        }
        return string.Join("\n", controls.EnumerateArray().Select(control =>
        {
            var name = control.TryGetProperty("from_name", out var n) ? n.GetString() : "?";
            var score = control.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble().ToString("P0", CultureInfo.InvariantCulture) : "—";
            if (!control.TryGetProperty("matched", out var matched))
            {
                return $"{name}: {score}";
            }
            int Count(string field) => control.TryGetProperty(field, out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            var overlap = control.TryGetProperty("mean_overlap", out var o) && o.ValueKind == JsonValueKind.Number ? $", overlap {o.GetDouble().ToString("0.00", CultureInfo.InvariantCulture)}" : "";
            var invalid = Count("invalid") > 0 ? $", invalid {Count("invalid")}" : "";
            return $"{name}: {score} — matched {matched.GetInt32()}, wrong label {Count("mismatched")}, missing {Count("missing")}, extra {Count("extra")}{overlap}{invalid}";
        }));
    }
}
