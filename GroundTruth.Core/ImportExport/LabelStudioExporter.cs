using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Writes a project as a Label Studio JSON array, streaming: three cursors (tasks, annotations, predictions, each in
/// task order) are merged as they are read, so memory stays flat whatever the project's size. Result, data and meta
/// JSON are written back byte for byte as they were imported (text an older database holds that is not valid Unicode
/// as U+FFFD, so that every export can be imported again).
/// </summary>
public sealed class LabelStudioExporter(IDbContextFactory<GroundTruthDbContext> factory)
{
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
        // One read transaction: the three cursors see the same snapshot.
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        await using var tx = connection.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(tx, ct);
        KeyValuePair<string, object?>[] project = [new("@p", projectId)];

        await using var taskCommand = db.Command("""
            SELECT id, inner_id, data, meta, created_at, updated_at, total_annotations, cancelled_annotations, total_predictions, extra
            FROM tasks WHERE project_id = @p ORDER BY id
            """, project);
        await using var annotationCommand = db.Command("""
            SELECT a.task_id, a.id, a.member_id, m.email, r.result, a.was_cancelled, a.ground_truth, a.created_at, a.updated_at, a.lead_time, r.extra
            FROM tasks t JOIN annotations a ON a.task_id = t.id JOIN annotation_results r ON r.id = a.id JOIN members m ON m.id = a.member_id
            WHERE t.project_id = @p ORDER BY t.id, a.id
            """, project);
        await using var predictionCommand = db.Command("""
            SELECT p.task_id, p.id, p.model_version, p.score, p.result, p.created_at, p.extra
            FROM tasks t JOIN predictions p ON p.task_id = t.id
            WHERE t.project_id = @p ORDER BY t.id, p.id
            """, project);

        await using var tasks = await taskCommand.ExecuteReaderAsync(ct);
        await using var annotations = await annotationCommand.ExecuteReaderAsync(ct);
        await using var predictions = await predictionCommand.ExecuteReaderAsync(ct);
        var moreAnnotations = await annotations.ReadAsync(ct);
        var morePredictions = await predictions.ReadAsync(ct);

        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
        json.WriteStartArray();
        var written = 0;
        while (await tasks.ReadAsync(ct))
        {
            var taskId = tasks.GetInt64(0);
            json.WriteStartObject();
            json.WriteNumber("id", taskId);
            json.WriteNumber("inner_id", tasks.GetInt64(1));
            json.WritePropertyName("data");
            json.WriteRawValue(UnicodeRepair.RepairJson(tasks.GetString(2)), skipInputValidation: true);
            if (!tasks.IsDBNull(3))
            {
                json.WritePropertyName("meta");
                json.WriteRawValue(UnicodeRepair.RepairJson(tasks.GetString(3)), skipInputValidation: true);
            }
            json.WriteString("created_at", SqliteTime.Iso(tasks.GetDateTime(4)));
            json.WriteString("updated_at", SqliteTime.Iso(tasks.GetDateTime(5)));
            json.WriteNumber("total_annotations", tasks.GetInt32(6));
            json.WriteNumber("cancelled_annotations", tasks.GetInt32(7));
            json.WriteNumber("total_predictions", tasks.GetInt32(8));
            json.WriteNumber("project", projectId);
            WriteExtra(json, tasks, 9);

            json.WriteStartArray("annotations");
            while (moreAnnotations && annotations.GetInt64(0) == taskId)
            {
                WriteAnnotation(json, annotations);
                moreAnnotations = await annotations.ReadAsync(ct);
            }
            json.WriteEndArray();

            json.WriteStartArray("predictions");
            while (morePredictions && predictions.GetInt64(0) == taskId)
            {
                WritePrediction(json, predictions);
                morePredictions = await predictions.ReadAsync(ct);
            }
            json.WriteEndArray();
            json.WriteEndObject();

            if (++written % 500 == 0)
            {
                await json.FlushAsync(ct);
            }
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    /// <summary>The imported fields this model does not know, written back as they came.</summary>
    private static void WriteExtra(Utf8JsonWriter json, DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return;
        }
        using var extra = JsonDocument.Parse(UnicodeRepair.RepairJson(reader.GetString(ordinal)));
        foreach (var property in extra.RootElement.EnumerateObject())
        {
            json.WritePropertyName(property.Name);
            json.WriteRawValue(property.Value.GetRawText(), skipInputValidation: true);
        }
    }

    private static void WriteAnnotation(Utf8JsonWriter json, DbDataReader a)
    {
        json.WriteStartObject();
        json.WriteNumber("id", a.GetInt64(1));
        json.WriteStartObject("completed_by");
        json.WriteNumber("id", a.GetInt64(2));
        json.WriteString("email", a.GetString(3));
        json.WriteEndObject();
        json.WritePropertyName("result");
        json.WriteRawValue(UnicodeRepair.RepairJson(a.GetString(4)), skipInputValidation: true);
        json.WriteBoolean("was_cancelled", a.GetBoolean(5));
        json.WriteBoolean("ground_truth", a.GetBoolean(6));
        json.WriteString("created_at", SqliteTime.Iso(a.GetDateTime(7)));
        json.WriteString("updated_at", SqliteTime.Iso(a.GetDateTime(8)));
        if (a.IsDBNull(9))
        {
            json.WriteNull("lead_time");
        }
        else
        {
            json.WriteNumber("lead_time", a.GetDouble(9));
        }
        json.WriteNumber("task", a.GetInt64(0));
        WriteExtra(json, a, 10);
        json.WriteEndObject();
    }

    private static void WritePrediction(Utf8JsonWriter json, DbDataReader p)
    {
        json.WriteStartObject();
        json.WriteNumber("id", p.GetInt64(1));
        json.WriteString("model_version", p.GetString(2));
        if (p.IsDBNull(3))
        {
            json.WriteNull("score");
        }
        else
        {
            json.WriteNumber("score", p.GetDouble(3));
        }
        json.WritePropertyName("result");
        json.WriteRawValue(UnicodeRepair.RepairJson(p.GetString(4)), skipInputValidation: true);
        json.WriteString("created_at", SqliteTime.Iso(p.GetDateTime(5)));
        json.WriteNumber("task", p.GetInt64(0));
        WriteExtra(json, p, 6);
        json.WriteEndObject();
    }
}
