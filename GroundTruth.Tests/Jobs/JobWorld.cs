using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Jobs;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Jobs;

/// <summary>What the job tests share: a project where annotators disagree, and the rows a job's outcome is judged by.</summary>
internal static class JobWorld
{
    /// <summary>
    /// <paramref name="tasks"/> text tasks: a and b annotate every task (b disagrees on every third), c every other one
    /// (cancelling every fifth of those); a ground truth by b on every seventh task.
    /// </summary>
    public static async Task<long> SeedAsync(TestDatabase db, int tasks)
    {
        var project = await db.NewProjectAsync("Jobs");
        var file = new JsonArray();
        for (var i = 0; i < tasks; i++)
        {
            var annotations = new JsonArray(
                Fixtures.Annotation("a@x.org", "A", minute: 1),
                Fixtures.Annotation("b@x.org", i % 3 == 0 ? "B" : "A", minute: 2, groundTruth: i % 7 == 0));
            if (i % 2 == 0)
            {
                annotations.Add(Fixtures.Annotation("c@x.org", i % 4 == 0 ? "B" : "A", minute: 3, cancelled: i % 10 == 0));
            }
            file.Add(new JsonObject { ["data"] = new JsonObject { ["text"] = $"task {i}" }, ["annotations"] = annotations });
        }
        await db.ImportAsync(project, file.ToJsonString());
        return project;
    }

    /// <summary>
    /// Everything a job may change, without what differs between two equal runs (times, and the ids of history rows,
    /// which PostgreSQL's sequences skip past a rolled-back chunk): two runs that did the same work read the same.
    /// </summary>
    public static async Task<string> OutcomeAsync(TestStore store)
    {
        await using var connection = await store.OpenAsync();
        var text = new StringBuilder();
        await AppendAsync(connection, text, "SELECT id, task_id, ground_truth, was_cancelled FROM annotations ORDER BY id");
        await AppendAsync(connection, text, """
            SELECT id, total_annotations, cancelled_annotations, has_ground_truth, ground_truth_annotation_id, agreement, min_accuracy
            FROM tasks ORDER BY id
            """);
        await AppendAsync(connection, text, """
            SELECT task_id, annotation_id, previous_annotation_id, kind, source, changed_by
            FROM ground_truth_changes ORDER BY task_id, id
            """);
        await AppendAsync(connection, text, "SELECT task_id, scores FROM score_sheets ORDER BY task_id");
        await AppendAsync(connection, text, "SELECT kind, state, done, total, result, error, cancel_requested FROM jobs ORDER BY id");
        return text.ToString();
    }

    /// <summary>Tasks whose counters or ground-truth columns disagree with their annotations: none, whatever was killed when.</summary>
    public static async Task<long> BrokenTasksAsync(TestStore store)
    {
        await using var connection = await store.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COUNT(*) FROM tasks t WHERE
              t.total_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = FALSE)
              OR t.cancelled_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = TRUE)
              OR t.has_ground_truth <> EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE)
              OR t.ground_truth_annotation_id IS DISTINCT FROM (SELECT a.id FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE)
              OR NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.task_id = t.id)
            """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task AppendAsync(DbConnection connection, StringBuilder text, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        text.Append("# ").AppendLine(sql.Split('\n')[0]);
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var value = reader.GetValue(i);
                // Booleans are integers on SQLite and doubles print alike on both: compare values, not provider spellings.
                text.Append(value switch
                {
                    bool b => b ? "1" : "0",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    _ => Convert.ToString(value, CultureInfo.InvariantCulture),
                }).Append('|');
            }
            text.AppendLine();
        }
    }

    public static async Task<Job> JobAsync(TestDatabase db, long id) => await db.Jobs.GetAsync(Actor.System, id);

    /// <summary>Waits until <paramref name="until"/> holds of the job's row, or fails after <paramref name="seconds"/>.</summary>
    public static async Task<Job> WaitForAsync(TestDatabase db, long id, Func<Job, bool> until, int seconds = 60, Func<string>? context = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var job = await JobAsync(db, id);
            if (until(job))
            {
                return job;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Job {id} is {job.State} at {job.Done} of {job.Total} after {seconds} s. {context?.Invoke()}");
            await Task.Delay(20);
        }
    }
}
