using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Scoring;
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
        await db.ImportAsync(project, File(tasks));
        return project;
    }

    /// <summary>The file <see cref="SeedAsync"/> imports.</summary>
    public static string File(int tasks)
    {
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
        return file.ToJsonString();
    }

    /// <summary>
    /// Everything a job may change, without what differs between two equal runs: times, and the ids the database picks
    /// (PostgreSQL's sequences skip past a rolled-back chunk), which are written as their rank among their table's ids —
    /// also inside the score sheets. Two runs that did the same work read the same.
    /// </summary>
    public static async Task<string> OutcomeAsync(TestStore store)
    {
        await using var connection = await store.OpenAsync();
        var tasks = await RanksAsync(connection, "tasks");
        var annotations = await RanksAsync(connection, "annotations");
        var predictions = await RanksAsync(connection, "predictions");
        Func<object, string> task = v => Rank(tasks, v), annotation = v => Rank(annotations, v);
        var text = new StringBuilder();
        await AppendAsync(connection, text, "SELECT id, title, import_for_project_id FROM projects ORDER BY id");
        await AppendAsync(connection, text, """
            SELECT a.id, a.task_id, m.email, a.ground_truth, a.was_cancelled FROM annotations a JOIN members m ON m.id = a.member_id ORDER BY a.id
            """, annotation, task);
        await AppendAsync(connection, text, "SELECT id, task_id, model_version FROM predictions ORDER BY id", v => Rank(predictions, v), task);
        await AppendAsync(connection, text, """
            SELECT id, project_id, inner_id, external_id, total_annotations, cancelled_annotations, total_predictions
            FROM tasks ORDER BY id
            """, task);
        await AppendAsync(connection, text, """
            SELECT task_id, annotation_id, previous_annotation_id, kind, source, changed_by
            FROM ground_truth_changes ORDER BY task_id, id
            """, task, annotation, annotation);
        await AppendAsync(connection, text, """
            SELECT s.task_id, s.ground_truth_annotation_id, c.scores, s.project_id, s.has_ground_truth, s.agreement, s.min_accuracy
            FROM score_sheets s LEFT JOIN score_comparisons c ON c.task_id = s.task_id ORDER BY s.task_id
            """, task, annotation, v => ScoreSheet.Parse((string)v).WithIds(id => annotations[id], id => predictions[id]).ToJson());
        await AppendAsync(connection, text, "SELECT kind, state, done, total, result, error, cancel_requested FROM jobs ORDER BY id");
        await AppendAsync(connection, text, "SELECT COUNT(*) FROM import_rows");
        return text.ToString();
    }

    /// <summary>Each id of the table, mapped to its place in id order.</summary>
    private static async Task<Dictionary<long, long>> RanksAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {table} ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var ranks = new Dictionary<long, long>();
        while (await reader.ReadAsync())
        {
            ranks[reader.GetInt64(0)] = ranks.Count + 1;
        }
        return ranks;
    }

    private static string Rank(Dictionary<long, long> ranks, object id) =>
        id is DBNull ? "" : "#" + ranks[Convert.ToInt64(id, CultureInfo.InvariantCulture)].ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Tasks whose counters, sheet (its project and ground truth), completion time or prediction score disagree with their annotations
    /// and predictions, and projects whose totals disagree
    /// with their tasks: none, whatever was killed when.
    /// </summary>
    public static async Task<long> BrokenTasksAsync(TestStore store)
    {
        await using var connection = await store.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT (SELECT COUNT(*) FROM tasks t WHERE
              t.total_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = FALSE)
              OR t.cancelled_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = TRUE)
              OR t.completed_at IS DISTINCT FROM (SELECT MAX(a.created_at) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = FALSE)
              OR COALESCE(ABS(t.prediction_score - (SELECT AVG(p.score) FROM predictions p WHERE p.task_id = t.id)), 0) > 1e-9
              OR (t.prediction_score IS NULL) <> NOT EXISTS (SELECT 1 FROM predictions p WHERE p.task_id = t.id AND p.score IS NOT NULL)
              OR NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.task_id = t.id AND s.project_id = t.project_id
                AND s.has_ground_truth = EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE)
                AND s.ground_truth_annotation_id IS NOT DISTINCT FROM (SELECT a.id FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE))
              OR NOT EXISTS (SELECT 1 FROM score_comparisons c WHERE c.task_id = t.id))
            + ({WrongTotals})
            """;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>SQL counting the projects whose totals (added up over their rows) are not what their tasks add up to.</summary>
    public const string WrongTotals = """
        SELECT COUNT(*) FROM projects p
        LEFT JOIN (SELECT project_id, SUM(tasks) AS tasks, SUM(ground_truths) AS ground_truths, SUM(annotated_tasks) AS annotated_tasks,
            SUM(annotations) AS annotations, SUM(cancelled_annotations) AS cancelled_annotations, SUM(predictions) AS predictions
          FROM project_totals GROUP BY project_id) k ON k.project_id = p.id
        LEFT JOIN (SELECT project_id, COUNT(*) AS tasks, (SELECT COUNT(*) FROM score_sheets s WHERE s.project_id = t.project_id AND s.has_ground_truth) AS ground_truths,
            SUM(CASE WHEN total_annotations > 0 THEN 1 ELSE 0 END) AS annotated_tasks, SUM(total_annotations) AS annotations,
            SUM(cancelled_annotations) AS cancelled_annotations, SUM(total_predictions) AS predictions
          FROM tasks t GROUP BY project_id) c ON c.project_id = p.id
        WHERE k.project_id IS NULL
          OR k.tasks <> COALESCE(c.tasks, 0) OR k.ground_truths <> COALESCE(c.ground_truths, 0) OR k.annotated_tasks <> COALESCE(c.annotated_tasks, 0)
          OR k.annotations <> COALESCE(c.annotations, 0) OR k.cancelled_annotations <> COALESCE(c.cancelled_annotations, 0)
          OR k.predictions <> COALESCE(c.predictions, 0)
        """;

    /// <summary>The rows of <paramref name="sql"/>, its first columns written by <paramref name="columns"/>, the rest as values.</summary>
    private static async Task AppendAsync(DbConnection connection, StringBuilder text, string sql, params Func<object, string>[] columns)
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
                if (i < columns.Length)
                {
                    text.Append(columns[i](value)).Append('|');
                    continue;
                }
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

    /// <summary>A database snapshot without its jobs section: what a failed or cancelled job must leave as it found it.</summary>
    public static string WithoutJobs(string snapshot) => System.Text.RegularExpressions.Regex.Replace(snapshot, @"# jobs\r?\n(?:(?!# ).*\r?\n)*", "");

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
