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

    private sealed record TaskRow(long Id, long InnerId, string Data, string? Meta, DateTime Created, DateTime Updated, int Total, int Cancelled, int Predictions, string? Extra);

    private sealed record AnnotationRow(long TaskId, long Id, long MemberId, string Email, string Result, bool Cancelled, bool GroundTruth, DateTime Created, DateTime Updated, double? LeadTime, string? Extra);

    private sealed record PredictionRow(long TaskId, long Id, string ModelVersion, double? Score, string Result, DateTime Created, string? Extra);

    /// <summary>Fails (404, 403) before anything is written if the actor may not export the project.</summary>
    public async Task EnsureExportableAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
    }

    public async Task ExportAsync(Actor actor, long projectId, Stream output, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "export", ct);
        await db.OpenConnectionAsync(ct);
        // One read snapshot: the chunks see the project as it was when the export began, and take no write lock.
        await using var tx = await db.Dialect.BeginSnapshotAsync(db.Database, ct);
        var ids = db.Dialect.IdList("@ids");

        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
        json.WriteStartArray();
        long after = 0;
        while (true)
        {
            var tasks = await ReadAsync(db, """
                SELECT id, inner_id, data, meta, created_at, updated_at, total_annotations, cancelled_annotations, total_predictions, extra
                FROM tasks WHERE project_id = @p AND id > @after ORDER BY id LIMIT @chunk
                """, [new("@p", projectId), new("@after", after), new("@chunk", Chunk)],
                r => new TaskRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetUtcDateTime(4), r.GetUtcDateTime(5),
                    r.GetInt32(6), r.GetInt32(7), r.GetInt32(8), r.IsDBNull(9) ? null : r.GetString(9)), ct);
            if (tasks.Count == 0)
            {
                break;
            }
            KeyValuePair<string, object?>[] chunk = [new("@ids", db.Dialect.Ids(tasks.Select(t => t.Id)))];
            var annotations = (await ReadAsync(db, $"""
                SELECT a.task_id, a.id, a.member_id, m.email, r.result, a.was_cancelled, a.ground_truth, a.created_at, a.updated_at, a.lead_time, r.extra
                FROM annotations a JOIN annotation_results r ON r.id = a.id JOIN members m ON m.id = a.member_id
                WHERE a.task_id IN ({ids}) ORDER BY a.task_id, a.id
                """, chunk, r => new AnnotationRow(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetString(3), r.GetString(4), r.GetBoolean(5), r.GetBoolean(6),
                    r.GetUtcDateTime(7), r.GetUtcDateTime(8), r.GetNullableDouble(9), r.IsDBNull(10) ? null : r.GetString(10)), ct)).ToLookup(a => a.TaskId);
            var predictions = (await ReadAsync(db, $"""
                SELECT task_id, id, model_version, score, result, created_at, extra
                FROM predictions WHERE task_id IN ({ids}) ORDER BY task_id, id
                """, chunk, r => new PredictionRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetNullableDouble(3), r.GetString(4), r.GetUtcDateTime(5),
                    r.IsDBNull(6) ? null : r.GetString(6)), ct)).ToLookup(p => p.TaskId);

            foreach (var task in tasks)
            {
                WriteTask(json, projectId, task, annotations[task.Id], predictions[task.Id]);
            }
            await json.FlushAsync(ct);
            after = tasks[^1].Id;
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

    private static void WriteTask(Utf8JsonWriter json, long projectId, TaskRow task, IEnumerable<AnnotationRow> annotations, IEnumerable<PredictionRow> predictions)
    {
        json.WriteStartObject();
        json.WriteNumber("id", task.Id);
        json.WriteNumber("inner_id", task.InnerId);
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
        json.WriteNumber("project", projectId);
        WriteExtra(json, task.Extra);
        json.WriteStartArray("annotations");
        foreach (var a in annotations)
        {
            WriteAnnotation(json, a);
        }
        json.WriteEndArray();
        json.WriteStartArray("predictions");
        foreach (var p in predictions)
        {
            WritePrediction(json, p);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The imported fields this model does not know, written back as they came.</summary>
    private static void WriteExtra(Utf8JsonWriter json, string? extra)
    {
        if (extra is null)
        {
            return;
        }
        using var document = JsonDocument.Parse(UnicodeRepair.RepairJson(extra));
        foreach (var property in document.RootElement.EnumerateObject())
        {
            json.WritePropertyName(property.Name);
            json.WriteRawValue(property.Value.GetRawText(), skipInputValidation: true);
        }
    }

    private static void WriteAnnotation(Utf8JsonWriter json, AnnotationRow a)
    {
        json.WriteStartObject();
        json.WriteNumber("id", a.Id);
        json.WriteStartObject("completed_by");
        json.WriteNumber("id", a.MemberId);
        json.WriteString("email", a.Email);
        json.WriteEndObject();
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
        json.WriteNumber("task", a.TaskId);
        WriteExtra(json, a.Extra);
        json.WriteEndObject();
    }

    private static void WritePrediction(Utf8JsonWriter json, PredictionRow p)
    {
        json.WriteStartObject();
        json.WriteNumber("id", p.Id);
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
        json.WriteNumber("task", p.TaskId);
        WriteExtra(json, p.Extra);
        json.WriteEndObject();
    }
}
