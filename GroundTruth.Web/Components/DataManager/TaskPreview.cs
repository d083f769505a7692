using System.Text.Json;

namespace GroundTruth.Web.Components.DataManager;

/// <summary>What the grid's Data column shows of a task.</summary>
public sealed record TaskPreview(string Text, string? Image)
{
    /// <summary>The first string in the task's data, as text; an http(s) or site-relative image link also as a thumbnail.</summary>
    public static TaskPreview Of(JsonElement data)
    {
        var first = data.ValueKind == JsonValueKind.Object
            ? data.EnumerateObject().Select(p => p.Value).FirstOrDefault(v => v.ValueKind == JsonValueKind.String)
            : default;
        var text = first.ValueKind == JsonValueKind.String ? first.GetString()! : data.GetRawText();
        var isImage = (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal)))
            && (text.EndsWith(".svg", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".png", StringComparison.OrdinalIgnoreCase)
                || text.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase));
        return new(text.Length > 120 ? text[..120] + "…" : text, isImage ? text : null);
    }
}
