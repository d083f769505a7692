using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Writes tasks' stored scores inside the caller's transaction, so that scores change in the same unit of work as the
/// ground truth, the annotations or the settings they depend on. Works in batches; only the tasks named are touched.
/// </summary>
internal static class ScoreKeeper
{
    private const int Batch = 2000;

    public static async Task<ScoringSettings> SettingsAsync(GroundTruthDbContext db, long projectId, CancellationToken ct) =>
        ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == projectId).Select(p => p.ScoringSettings).SingleOrDefaultAsync(ct));

    public static async Task RecomputeAsync(GroundTruthDbContext db, ScoringSettings settings, IReadOnlyList<long> taskIds, CancellationToken ct, Action<int>? progress = null)
    {
        await db.OpenConnectionAsync(ct);
        await using var updateTask = Prepare(db, "UPDATE tasks SET agreement = @a, min_accuracy = @m WHERE id = @id", "@a", "@m", "@id");
        await using var updateAnnotation = Prepare(db, "UPDATE annotations SET accuracy = @a, breakdown = @b WHERE id = @id", "@a", "@b", "@id");
        await using var updatePrediction = Prepare(db, "UPDATE predictions SET accuracy = @a, breakdown = @b WHERE id = @id", "@a", "@b", "@id");
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
            foreach (var taskId in batch)
            {
                var scores = TaskScoring.Compute(annotations.GetValueOrDefault(taskId) ?? [], predictions.GetValueOrDefault(taskId) ?? [], settings);
                await ExecuteAsync(updateTask, ct, scores.Agreement, scores.MinAccuracy, taskId);
                foreach (var a in scores.Annotations)
                {
                    await ExecuteAsync(updateAnnotation, ct, a.Accuracy, a.Breakdown, a.Id);
                }
                foreach (var p in scores.Predictions)
                {
                    await ExecuteAsync(updatePrediction, ct, p.Accuracy, p.Breakdown, p.Id);
                }
            }
            progress?.Invoke(Math.Min(taskIds.Count, start + Batch));
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

    private static DbCommand Prepare(GroundTruthDbContext db, string sql, params string[] names)
    {
        var command = db.Command(sql);
        foreach (var name in names)
        {
            command.AddParameter(name, null);
        }
        command.Prepare();
        return command;
    }

    private static async Task ExecuteAsync(DbCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        await command.ExecuteNonQueryAsync(ct);
    }
}
