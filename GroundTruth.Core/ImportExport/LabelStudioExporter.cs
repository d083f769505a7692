using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Writes a project as a Label Studio JSON array, streaming: tasks are read in id order, a chunk at a time, each chunk's
/// annotations and predictions with it, all in one read snapshot — so memory stays flat whatever the project's size,
/// and each query has the connection to itself (PostgreSQL runs one reader per connection). Result, data and meta JSON
/// are written back byte for byte as they were imported (text an older database holds that is not valid Unicode as
/// U+FFFD, so that every export can be imported again).
/// </summary>
public sealed class LabelStudioExporter(IDbContextFactory<GroundTruthDbContext> factory)
{
    private const int Chunk = 500;

    /// <summary>
    /// The export types served, by Label Studio's names: its full JSON, and the flat ones its converter writes (one
    /// record per annotation, the values under each control's name; see <see cref="FlatExport"/>). Its image formats
    /// (COCO, YOLO, VOC, masks) are not written; asking for one is a 400 that names these.
    /// </summary>
    public static readonly IReadOnlyList<string> Formats = ["JSON", "JSON_MIN", "CSV", "TSV"];

    /// <summary>The <c>export_type</c> asked for (JSON when none), or a 400 naming the ones served.</summary>
    public static string Format(string? exportType)
    {
        var format = string.IsNullOrEmpty(exportType) ? "JSON" : exportType.ToUpperInvariant();
        return Formats.Contains(format) ? format
            : throw new BadInputException($"export_type '{exportType}' is not served; allowed: {string.Join(", ", Formats)}.", "export_type");
    }

    /// <summary>The media type and file extension of a served format.</summary>
    public static (string ContentType, string Extension) FileOf(string format) => format switch
    {
        "CSV" => ("text/csv; charset=utf-8", "csv"),
        "TSV" => ("text/tab-separated-values; charset=utf-8", "tsv"),
        _ => ("application/json", "json"),
    };

    internal sealed record TaskRow(long Id, long? FileId, long InnerId, string Data, string? Meta, DateTime Created, DateTime Updated, int Total, int Cancelled, int Predictions, string? Extra);

    internal sealed record AnnotationRow(long TaskId, long Id, long? FileId, long MemberId, string Email, string Result, bool Cancelled, bool GroundTruth, DateTime Created, DateTime Updated, double? LeadTime, string? Extra);

    internal sealed record PredictionRow(long TaskId, long Id, long? FileId, string ModelVersion, double? Score, string Result, DateTime Created, string? Extra);

    /// <summary>Fails (404, 403) before anything is written if the actor may not export the project.</summary>
    public async Task EnsureExportableAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
    }

    /// <param name="format">One of <see cref="Formats"/>.</param>
    /// <param name="ids">
    /// <see cref="IdSource.File"/>: every task, annotation and prediction that came from a file gets the id it had there
    /// (ours where it had none), and the fields of <see cref="FileFields"/> are written as the file said them.
    /// </param>
    /// <param name="only">Label Studio's <c>ids</c>: only these tasks (ours); null exports them all.</param>
    public async Task ExportAsync(Actor actor, long projectId, Stream output, CancellationToken ct = default, IdSource ids = IdSource.Ours, IReadOnlyList<long>? only = null,
        string format = "JSON")
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
        await db.OpenConnectionAsync(ct);
        // One read snapshot: the chunks see the project as it was when the export began, and take no write lock. The
        // delimited formats read it twice (their header names every column), and see the same tasks both times.
        await using var tx = await db.Dialect.BeginSnapshotAsync(db.Database, ct);
        var chunks = () => ReadChunksAsync(db, projectId, only, ct);
        switch (format)
        {
            case "JSON_MIN" or "CSV" or "TSV":
                await WriteFlatAsync(format, () => chunks().Select(c => FlatExport.From(c, ids)), output, ct);
                break;
            default:
                await WriteJsonAsync(chunks(), projectId, ids, output, ct);
                break;
        }
    }

    /// <summary>Writes a flat format (JSON_MIN, CSV, TSV) of the tasks <paramref name="chunks"/> reads, each time it is called.</summary>
    internal static Task WriteFlatAsync(string format, Func<IAsyncEnumerable<IReadOnlyList<FlatTask>>> chunks, Stream output, CancellationToken ct) => format == "JSON_MIN"
        ? FlatExport.WriteJsonAsync(chunks(), output, ct)
        : FlatExport.WriteDelimitedAsync(chunks, format == "CSV" ? ',' : '\t', output, ct);

    /// <summary>A chunk of tasks in id order, with their annotations and predictions.</summary>
    internal sealed record ExportChunk(List<TaskRow> Tasks, ILookup<long, AnnotationRow> Annotations, ILookup<long, PredictionRow> Predictions);

    private static async IAsyncEnumerable<ExportChunk> ReadChunksAsync(GroundTruthDbContext db, long projectId, IReadOnlyList<long>? only,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = 0;
        while (await ReadChunkAsync(db, projectId, after, Chunk, ct, only) is { } chunk)
        {
            yield return chunk;
            after = chunk.Tasks[^1].Id;
        }
    }

    /// <summary>
    /// The next at most <paramref name="limit"/> tasks after id <paramref name="after"/> with their annotations and
    /// predictions; null when there are none. <paramref name="onlyAnnotated"/>: only tasks with an annotation that was
    /// not cancelled.
    /// </summary>
    internal static async Task<ExportChunk?> ReadChunkAsync(GroundTruthDbContext db, long projectId, long after, int limit, CancellationToken ct,
        IReadOnlyList<long>? only = null, bool onlyAnnotated = false)
    {
        var idList = db.Dialect.IdList("@ids");
        var tasks = await ReadAsync(db, $"""
            SELECT id, external_id, inner_id, data, meta, created_at, updated_at, total_annotations, cancelled_annotations, total_predictions, extra
            FROM tasks WHERE project_id = @p AND id > @after {(only is null ? "" : $"AND id IN ({idList})")}
              {(onlyAnnotated ? "AND total_annotations > cancelled_annotations" : "")}
            ORDER BY id LIMIT @chunk
            """, [new("@p", projectId), new("@after", after), new("@chunk", limit), new("@ids", db.Dialect.Ids(only ?? []))],
            r => new TaskRow(r.GetInt64(0), r.GetNullableInt64(1), r.GetInt64(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetUtcDateTime(5),
                r.GetUtcDateTime(6), r.GetInt32(7), r.GetInt32(8), r.GetInt32(9), r.IsDBNull(10) ? null : r.GetString(10)), ct);
        if (tasks.Count == 0)
        {
            return null;
        }
        KeyValuePair<string, object?>[] chunk = [new("@ids", db.Dialect.Ids(tasks.Select(t => t.Id)))];
        var annotations = (await ReadAsync(db, $"""
            SELECT a.task_id, a.id, a.external_id, a.member_id, m.email, r.result, a.was_cancelled, a.ground_truth, a.created_at, a.updated_at, a.lead_time, r.extra
            FROM annotations a JOIN annotation_results r ON r.id = a.id JOIN members m ON m.id = a.member_id
            WHERE a.task_id IN ({idList}) ORDER BY a.task_id, a.id
            """, chunk, r => new AnnotationRow(r.GetInt64(0), r.GetInt64(1), r.GetNullableInt64(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetBoolean(6),
                r.GetBoolean(7), r.GetUtcDateTime(8), r.GetUtcDateTime(9), r.GetNullableDouble(10), r.IsDBNull(11) ? null : r.GetString(11)), ct)).ToLookup(a => a.TaskId);
        var predictions = (await ReadAsync(db, $"""
            SELECT task_id, id, external_id, model_version, score, result, created_at, extra
            FROM predictions WHERE task_id IN ({idList}) ORDER BY task_id, id
            """, chunk, r => new PredictionRow(r.GetInt64(0), r.GetInt64(1), r.GetNullableInt64(2), r.GetString(3), r.GetNullableDouble(4), r.GetString(5),
                r.GetUtcDateTime(6), r.IsDBNull(7) ? null : r.GetString(7)), ct)).ToLookup(p => p.TaskId);
        return new ExportChunk(tasks, annotations, predictions);
    }

    /// <summary>A chunk's tasks as Label Studio JSON objects separated by commas, without the array's brackets: a snapshot's part.</summary>
    internal static string PartJson(ExportChunk chunk, long projectId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var task in chunk.Tasks)
            {
                WriteTask(json, projectId, task, chunk.Annotations[task.Id], chunk.Predictions[task.Id], IdSource.Ours);
            }
            json.WriteEndArray();
        }
        var array = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return array[1..^1];
    }

    private static async Task WriteJsonAsync(IAsyncEnumerable<ExportChunk> chunks, long projectId, IdSource ids, Stream output, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        await foreach (var chunk in chunks)
        {
            foreach (var task in chunk.Tasks)
            {
                WriteTask(json, projectId, task, chunk.Annotations[task.Id], chunk.Predictions[task.Id], ids);
            }
            await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    private static async Task<List<T>> ReadAsync<T>(GroundTruthDbContext db, string sql, IEnumerable<KeyValuePair<string, object?>> parameters, Func<DbDataReader, T> row, CancellationToken ct)
    {
        await using var command = db.Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(row(reader));
        }
        return rows;
    }

    private static void WriteTask(Utf8JsonWriter json, long projectId, TaskRow task, IEnumerable<AnnotationRow> annotations, IEnumerable<PredictionRow> predictions, IdSource ids)
    {
        using var extra = FileExtra.Parse(task.Extra, FileFields.Task, ids);
        var taskId = Id(task.Id, task.FileId, ids);
        json.WriteStartObject();
        json.WriteNumber("id", taskId);
        if (!extra.Says("inner_id"))
        {
            json.WriteNumber("inner_id", task.InnerId);
        }
        json.WritePropertyName("data");
        json.WriteRawValue(UnicodeRepair.RepairJson(task.Data), skipInputValidation: true);
        if (task.Meta is not null)
        {
            json.WritePropertyName("meta");
            json.WriteRawValue(UnicodeRepair.RepairJson(task.Meta), skipInputValidation: true);
        }
        json.WriteString("created_at", SqliteTime.Iso(task.Created));
        json.WriteString("updated_at", SqliteTime.Iso(task.Updated));
        json.WriteNumber("total_annotations", task.Total);
        json.WriteNumber("cancelled_annotations", task.Cancelled);
        json.WriteNumber("total_predictions", task.Predictions);
        if (!extra.Says("project"))
        {
            json.WriteNumber("project", projectId);
        }
        extra.WriteTo(json);
        json.WriteStartArray("annotations");
        foreach (var a in annotations)
        {
            WriteAnnotation(json, a, taskId, ids);
        }
        json.WriteEndArray();
        json.WriteStartArray("predictions");
        foreach (var p in predictions)
        {
            WritePrediction(json, p, taskId, ids);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    internal static long Id(long ours, long? file, IdSource ids) => ids == IdSource.File && file is { } id ? id : ours;

    private static void WriteAnnotation(Utf8JsonWriter json, AnnotationRow a, long taskId, IdSource ids)
    {
        using var extra = FileExtra.Parse(a.Extra, FileFields.Annotation, ids);
        json.WriteStartObject();
        json.WriteNumber("id", Id(a.Id, a.FileId, ids));
        if (!extra.Says("completed_by"))
        {
            // Ours: the member, with whatever else the file said of them (names, avatar) kept beside.
            json.WriteStartObject("completed_by");
            json.WriteNumber("id", a.MemberId);
            json.WriteString("email", a.Email);
            if (extra.Kept("completed_by") is { ValueKind: JsonValueKind.Object } file)
            {
                FileExtra.WriteRaw(json, file.EnumerateObject().Where(p => p.Name is not ("id" or "email")));
            }
            json.WriteEndObject();
        }
        json.WritePropertyName("result");
        json.WriteRawValue(UnicodeRepair.RepairJson(a.Result), skipInputValidation: true);
        json.WriteBoolean("was_cancelled", a.Cancelled);
        json.WriteBoolean("ground_truth", a.GroundTruth);
        json.WriteString("created_at", SqliteTime.Iso(a.Created));
        json.WriteString("updated_at", SqliteTime.Iso(a.Updated));
        if (a.LeadTime is { } lead)
        {
            json.WriteNumber("lead_time", lead);
        }
        else
        {
            json.WriteNull("lead_time");
        }
        if (!extra.Says("task"))
        {
            json.WriteNumber("task", taskId);
        }
        extra.WriteTo(json);
        json.WriteEndObject();
    }

    private static void WritePrediction(Utf8JsonWriter json, PredictionRow p, long taskId, IdSource ids)
    {
        using var extra = FileExtra.Parse(p.Extra, FileFields.Prediction, ids);
        json.WriteStartObject();
        json.WriteNumber("id", Id(p.Id, p.FileId, ids));
        json.WriteString("model_version", p.ModelVersion);
        if (p.Score is { } score)
        {
            json.WriteNumber("score", score);
        }
        else
        {
            json.WriteNull("score");
        }
        json.WritePropertyName("result");
        json.WriteRawValue(UnicodeRepair.RepairJson(p.Result), skipInputValidation: true);
        json.WriteString("created_at", SqliteTime.Iso(p.Created));
        if (!extra.Says("task"))
        {
            json.WriteNumber("task", taskId);
        }
        extra.WriteTo(json);
        json.WriteEndObject();
    }

    /// <summary>
    /// A row's extra fields as an export writes them: all of them when it writes the file's ids; otherwise only those
    /// this model does not know, the <see cref="FileFields"/> held back for ours.
    /// </summary>
    private sealed class FileExtra(JsonDocument? document, IReadOnlySet<string> fileFields, IdSource ids) : IDisposable
    {
        public static FileExtra Parse(string? extra, IReadOnlySet<string> fileFields, IdSource ids) =>
            new(extra is null ? null : JsonDocument.Parse(UnicodeRepair.RepairJson(extra)), fileFields, ids);

        /// <summary>Whether the file's value of an owned field is written instead of ours.</summary>
        public bool Says(string field) => ids == IdSource.File && Kept(field) is not null;

        /// <summary>What the file said of an owned field, if it said anything.</summary>
        public JsonElement? Kept(string field) =>
            document is not null && fileFields.Contains(field) && document.RootElement.TryGetProperty(field, out var value) ? value : null;

        public void WriteTo(Utf8JsonWriter json)
        {
            if (document is null)
            {
                return;
            }
            WriteRaw(json, document.RootElement.EnumerateObject().Where(p => ids == IdSource.File || !fileFields.Contains(p.Name)));
        }

        /// <summary>Values as the file wrote them, byte for byte.</summary>
        public static void WriteRaw(Utf8JsonWriter json, IEnumerable<JsonProperty> properties)
        {
            foreach (var property in properties)
            {
                json.WritePropertyName(property.Name);
                json.WriteRawValue(property.Value.GetRawText(), skipInputValidation: true);
            }
        }

        public void Dispose() => document?.Dispose();
    }
}
