using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core.Data;
using GroundTruth.Core.Scoring;

namespace GroundTruth.Core.ImportExport;

/// <summary>A task as the flat formats need it: its id as written, its data JSON, its annotations.</summary>
internal sealed record FlatTask(long Id, string Data, IReadOnlyList<FlatAnnotation> Annotations);

/// <summary>An annotation as the flat formats write it; <see cref="Created"/> is ISO 8601, so it sorts as text.</summary>
internal sealed record FlatAnnotation(long? Id, JsonNode? Annotator, string Result, bool Cancelled, string? Created, string? Updated, double? LeadTime);

/// <summary>
/// Label Studio's flat exports, as its converter writes them: JSON_MIN (an array of flat records) and CSV / TSV (the same
/// records as rows, the columns sorted by name). A record is one annotation that was not cancelled, newest first within
/// a task: the task's data fields, <c>id</c>, each control's values under its <c>from_name</c> (a single choice or text
/// as a plain string, otherwise the list of region values), then <c>annotator</c> (the email), <c>annotation_id</c>,
/// <c>created_at</c>, <c>updated_at</c> and <c>lead_time</c>. A task without annotations is one record with those null;
/// a task whose annotations were all cancelled has none. The ids follow <see cref="IdSource"/> as in the JSON export.
/// </summary>
internal static class FlatExport
{
    private static readonly string[] AnnotationFields = ["annotator", "annotation_id", "created_at", "updated_at", "lead_time"];

    /// <summary>Label Studio writes these files unescaped (<c>ensure_ascii=False</c>); they are downloads, not HTML.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteJsonAsync(IAsyncEnumerable<IReadOnlyList<FlatTask>> chunks, Stream output, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartArray();
        await foreach (var chunk in chunks)
        {
            foreach (var record in Records(chunk))
            {
                record.WriteTo(json);
            }
            await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>
    /// Rows in Python's <c>csv.QUOTE_NONNUMERIC</c> style, as Label Studio writes them: numbers bare, everything else
    /// quoted (an empty cell as <c>""</c>), lists and objects as JSON. The header needs every column before the first
    /// row, so the records are read twice (from the same snapshot) rather than held in memory.
    /// </summary>
    public static async Task WriteDelimitedAsync(Func<IAsyncEnumerable<IReadOnlyList<FlatTask>>> chunks, char separator, Stream output, CancellationToken ct)
    {
        var columns = new SortedSet<string>(AnnotationFields, StringComparer.Ordinal);
        await foreach (var chunk in chunks())
        {
            foreach (var record in Records(chunk))
            {
                columns.UnionWith(record.Select(p => p.Key));
            }
        }

        await using var writer = new StreamWriter(output, new UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true);
        var line = new StringBuilder();
        await writer.WriteAsync(Row(line, columns.Select(c => (JsonNode?)JsonValue.Create(c)), separator));
        await foreach (var chunk in chunks())
        {
            foreach (var record in Records(chunk))
            {
                await writer.WriteAsync(Row(line, columns.Select(c => record.TryGetPropertyValue(c, out var value) ? value : null), separator));
            }
            await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    private static StringBuilder Row(StringBuilder line, IEnumerable<JsonNode?> cells, char separator)
    {
        line.Clear();
        foreach (var cell in cells)
        {
            if (line.Length > 0)
            {
                line.Append(separator);
            }
            Cell(line, cell);
        }
        return line.Append("\r\n");
    }

    private static void Cell(StringBuilder line, JsonNode? cell)
    {
        switch (cell?.GetValueKind())
        {
            case JsonValueKind.Number:
                line.Append(cell.ToJsonString());
                break;
            case JsonValueKind.True or JsonValueKind.False:
                // Python's bool is a number: written bare, capitalised.
                line.Append(cell.GetValue<bool>() ? "True" : "False");
                break;
            case JsonValueKind.String:
                Quoted(line, cell.GetValue<string>());
                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                Quoted(line, cell.ToJsonString(Unescaped));
                break;
            default:
                line.Append("\"\"");
                break;
        }
    }

    private static void Quoted(StringBuilder line, string text) => line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');

    /// <summary>The flat records of a chunk's tasks, in task order.</summary>
    public static IEnumerable<JsonObject> Records(IReadOnlyList<FlatTask> tasks)
    {
        foreach (var task in tasks)
        {
            if (task.Annotations.Count == 0)
            {
                yield return Record(task, null);
                continue;
            }
            // Newest first; the sort is stable, so annotations made at one instant keep their order.
            foreach (var annotation in task.Annotations.Where(a => !a.Cancelled).OrderByDescending(a => a.Created, StringComparer.Ordinal))
            {
                yield return Record(task, annotation);
            }
        }
    }

    private static JsonObject Record(FlatTask task, FlatAnnotation? annotation)
    {
        var record = JsonNode.Parse(UnicodeRepair.RepairJson(task.Data)) as JsonObject ?? [];
        record["id"] = task.Id;
        if (annotation is not null)
        {
            foreach (var (control, values) in Outputs(annotation.Result))
            {
                record[control] = Pretty(values);
            }
        }
        record["annotator"] = annotation?.Annotator?.DeepClone();
        record["annotation_id"] = annotation?.Id;
        record["created_at"] = annotation?.Created;
        record["updated_at"] = annotation?.Updated;
        record["lead_time"] = annotation?.LeadTime;
        return record;
    }

    /// <summary>The tasks of an export chunk read from the database, with the ids <paramref name="ids"/> asks for.</summary>
    public static IReadOnlyList<FlatTask> From(LabelStudioExporter.ExportChunk chunk, IdSource ids) =>
        [.. chunk.Tasks.Select(t => new FlatTask(LabelStudioExporter.Id(t.Id, t.FileId, ids), t.Data, [.. chunk.Annotations[t.Id].Select(a => new FlatAnnotation(
            LabelStudioExporter.Id(a.Id, a.FileId, ids), JsonValue.Create(a.Email), a.Result, a.Cancelled, SqliteTime.Iso(a.Created), SqliteTime.Iso(a.Updated), a.LeadTime))]))];

    /// <summary>
    /// The tasks of a Label Studio JSON array (a stored snapshot), as its converter reads them: <c>annotator</c> is
    /// <c>completed_by</c>'s email, or the id where the file gave only that.
    /// </summary>
    public static IReadOnlyList<FlatTask> From(JsonArray tasks) =>
        [.. tasks.OfType<JsonObject>().Select(t => new FlatTask(t["id"]?.GetValue<long>() ?? 0, t["data"]?.ToJsonString() ?? "{}",
            [.. (t["annotations"] as JsonArray ?? []).OfType<JsonObject>().Select(a => new FlatAnnotation(
                a["id"]?.GetValue<long>(),
                a["completed_by"] is JsonObject by ? by["email"]?.DeepClone() : a["completed_by"]?.DeepClone(),
                a["result"]?.ToJsonString() ?? "[]",
                a["was_cancelled"]?.GetValueKind() == JsonValueKind.True,
                a["created_at"]?.GetValue<string>(),
                a["updated_at"]?.GetValue<string>(),
                a["lead_time"]?.GetValueKind() == JsonValueKind.Number ? a["lead_time"]!.GetValue<double>() : null))]))];

    /// <summary>Each control's region values in the order the result names them, with the image size they were drawn on.</summary>
    private static IEnumerable<(string Control, List<(string Tag, JsonObject Value)> Values)> Outputs(string result)
    {
        var outputs = new List<(string Control, List<(string Tag, JsonObject Value)> Values)>();
        if (JsonNode.Parse(UnicodeRepair.RepairJson(result)) is not JsonArray items)
        {
            return outputs;
        }
        foreach (var item in items.OfType<JsonObject>())
        {
            if (item["from_name"] is not JsonValue name || name.GetValueKind() != JsonValueKind.String)
            {
                continue;
            }
            var value = item["value"] is JsonObject given ? (JsonObject)given.DeepClone() : [];
            foreach (var size in (string[])["original_width", "original_height"])
            {
                if (item[size] is { } dimension)
                {
                    value[size] = dimension.DeepClone();
                }
            }
            var tag = item["type"] is JsonValue type && type.GetValueKind() == JsonValueKind.String ? ResultTypes.Of(type.GetValue<string>()).Tag : "";
            var control = name.GetValue<string>();
            var index = outputs.FindIndex(o => o.Control == control);
            if (index < 0)
            {
                outputs.Add((control, []));
                index = outputs.Count - 1;
            }
            outputs[index].Values.Add((tag, value));
        }
        return outputs;
    }

    /// <summary>Label Studio's <c>prettify_result</c>: one choice or one text alone becomes the bare string.</summary>
    private static JsonNode Pretty(List<(string Tag, JsonObject Value)> values)
    {
        var pretty = values.Select(v => v.Tag switch
        {
            "Choices" when v.Value["choices"] is JsonArray { Count: 1 } choices => choices[0]?.DeepClone(),
            "TextArea" when v.Value["text"] is JsonArray { Count: 1 } text => text[0]?.DeepClone(),
            _ => v.Value,
        }).ToList();
        return values[^1].Tag is "Choices" or "TextArea" && pretty.Count == 1 && pretty[0] is { } single ? single : new JsonArray([.. pretty]);
    }
}
