using System.Text;
using System.Text.Json;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Writes tasks' stored scores inside the caller's transaction, so that scores change in the same unit of work as the
/// ground truth, the annotations or the settings they depend on. Only the tasks named are touched, in batches: each
/// batch is read with two queries, scored on every core, and written with three set-based UPDATEs.
/// </summary>
internal static class ScoreKeeper
{
    private const int Batch = 2000;

    public static async Task<ScoringSettings> SettingsAsync(GroundTruthDbContext db, long projectId, CancellationToken ct) =>
        ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == projectId).Select(p => p.ScoringSettings).SingleOrDefaultAsync(ct));

    /// <param name="groundTruthChanged">
    /// Only the ground truth changed: with the ground truth counted in agreement (the default) the agreement cannot have
    /// changed, so only accuracies are recomputed.
    /// </param>
    /// <param name="progress">Told the fraction of the tasks done after each batch.</param>
    public static async Task RecomputeAsync(GroundTruthDbContext db, ScoringSettings settings, IReadOnlyList<long> taskIds, CancellationToken ct, bool groundTruthChanged = false,
        IProgress<double>? progress = null)
    {
        var withAgreement = !(groundTruthChanged && settings.GroundTruthInAgreement);
        await db.OpenConnectionAsync(ct);
        for (var start = 0; start < taskIds.Count; start += Batch)
        {
            var batch = taskIds.Skip(start).Take(Batch).ToList();
            var ids = JsonSerializer.Serialize(batch);
            var annotations = new Dictionary<long, List<ScoredAnnotation>>();
            await using (var read = db.Command("SELECT task_id, id, was_cancelled, ground_truth, result FROM annotations WHERE task_id IN (SELECT value FROM json_each(@ids)) ORDER BY task_id, id", [new("@ids", ids)]))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    Add(annotations, reader.GetInt64(0), new ScoredAnnotation(reader.GetInt64(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetString(4)));
                }
            }
            var predictions = new Dictionary<long, List<ScoredPrediction>>();
            await using (var read = db.Command("SELECT task_id, id, result FROM predictions WHERE task_id IN (SELECT value FROM json_each(@ids)) ORDER BY task_id, id", [new("@ids", ids)]))
            await using (var reader = await read.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    Add(predictions, reader.GetInt64(0), new ScoredPrediction(reader.GetInt64(1), reader.GetString(2)));
                }
            }

            var scores = new TaskScores[batch.Count];
            Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = ct }, i =>
                scores[i] = TaskScoring.Compute(annotations.GetValueOrDefault(batch[i]) ?? [], predictions.GetValueOrDefault(batch[i]) ?? [], settings, withAgreement));

            await WriteAsync(db, withAgreement
                ? "UPDATE tasks SET agreement = j.a, min_accuracy = j.m FROM (SELECT value ->> '$.id' AS id, value ->> '$.a' AS a, value ->> '$.m' AS m FROM json_each(@rows)) AS j WHERE tasks.id = j.id"
                : "UPDATE tasks SET min_accuracy = j.m FROM (SELECT value ->> '$.id' AS id, value ->> '$.m' AS m FROM json_each(@rows)) AS j WHERE tasks.id = j.id",
                batch.Select((id, i) => (id, scores[i].Agreement, scores[i].MinAccuracy)), (json, row) =>
                {
                    json.WriteNumber("id", row.id);
                    Number(json, "a", row.Agreement);
                    Number(json, "m", row.MinAccuracy);
                }, ct);
            await WriteAsync(db, "UPDATE annotations SET accuracy = j.a, breakdown = j.b FROM (SELECT value ->> '$.id' AS id, value ->> '$.a' AS a, value ->> '$.b' AS b FROM json_each(@rows)) AS j WHERE annotations.id = j.id",
                scores.SelectMany(s => s.Annotations), Stored, ct);
            await WriteAsync(db, "UPDATE predictions SET accuracy = j.a, breakdown = j.b FROM (SELECT value ->> '$.id' AS id, value ->> '$.a' AS a, value ->> '$.b' AS b FROM json_each(@rows)) AS j WHERE predictions.id = j.id",
                scores.SelectMany(s => s.Predictions), Stored, ct);
            progress?.Report((double)(start + batch.Count) / taskIds.Count);
        }
    }

    private static void Stored(Utf8JsonWriter json, StoredScore score)
    {
        json.WriteNumber("id", score.Id);
        Number(json, "a", score.Accuracy);
        if (score.Breakdown is null)
        {
            json.WriteNull("b");
        }
        else
        {
            json.WriteString("b", score.Breakdown);
        }
    }

    /// <summary>One UPDATE … FROM json_each for a whole batch of rows.</summary>
    private static async Task WriteAsync<T>(GroundTruthDbContext db, string sql, IEnumerable<T> rows, Action<Utf8JsonWriter, T> write, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                write(json, row);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        await using var command = db.Command(sql, [new("@rows", Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))]);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, value.Value);
        }
    }

    private static void Add<T>(Dictionary<long, List<T>> map, long key, T value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }
        list.Add(value);
    }
}
