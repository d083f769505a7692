using System.Globalization;
using System.Runtime.CompilerServices;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>
/// Project-wide agreement as Label Studio's statistics report it: annotators against each other (read from the score
/// sheets in SQL), task agreement's mean and histogram, and per-label agreement (which needs the results themselves).
/// </summary>
public sealed partial class ScoreStatisticsService
{
    /// <summary>Below this task agreement a task counts as low agreement in the distribution.</summary>
    public const double LowAgreement = 0.5;

    /// <summary>
    /// Each annotator's agreement with the other annotators: per task the mean of their pairs, then the mean over tasks
    /// (so a task with five annotators weighs as much as one with two), with the number of tasks and a 95% interval.
    /// </summary>
    public async Task<IReadOnlyList<AccuracyStat>> AnnotatorAgreementAsync(Actor actor, long projectId, IReadOnlyCollection<long>? members = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        var (first, second, score) = (d.Item("p", 0, integer: true), d.Item("p", 1, integer: true), d.Item("p", 2, integer: false));
        await using var command = db.Command($"""
            SELECT m.id, m.email, AVG(x.score), COUNT(*)
            FROM (SELECT t.id AS task_id, a.member_id AS member_id, AVG({score}) AS score
                  FROM tasks t
                  JOIN score_comparisons c ON c.task_id = t.id
                  CROSS JOIN {d.JsonArray("c.scores", ScoreSheet.PairsKey, "p")}
                  JOIN annotations a ON a.id IN ({first}, {second})
                  WHERE t.project_id = @p
                  GROUP BY t.id, a.member_id) x
            JOIN members m ON m.id = x.member_id
            {(members is null ? "" : $"WHERE m.id IN ({d.IdList("@members")})")}
            GROUP BY m.id, m.email ORDER BY m.id
            """, [new("@p", projectId), new("@members", d.Ids(members ?? []))]);
        var stats = new List<AccuracyStat>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            stats.Add(Stat(reader.GetString(1), reader.GetDouble(2), reader.GetInt32(3)) with { MemberId = reader.GetInt64(0) });
        }
        return stats;
    }

    /// <summary>
    /// Every annotator of the project against every other: the mean score of their pairs on the tasks they share (1 on
    /// the diagonal, 0 where they share none), the number of those tasks (0 on the diagonal), and the standard
    /// deviation of the pair means, as Label Studio's IAA matrix. <paramref name="tasks"/> limits it to those tasks.
    /// </summary>
    public async Task<PairwiseAgreement> PairwiseAgreementAsync(Actor actor, long projectId, IReadOnlyCollection<long>? tasks = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        var onlyTasks = tasks is null ? "" : $"AND t.id IN ({d.IdList("@tasks")})";
        KeyValuePair<string, object?>[] parameters = [new("@p", projectId), new("@tasks", d.Ids(tasks ?? []))];

        var annotators = new List<Annotator>();
        await using (var command = db.Command($"""
            SELECT m.id, m.email FROM members m
            WHERE EXISTS (SELECT 1 FROM annotations a JOIN tasks t ON t.id = a.task_id
                          WHERE a.member_id = m.id AND t.project_id = @p AND a.was_cancelled = FALSE {onlyTasks})
            ORDER BY m.id
            """, parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                annotators.Add(new Annotator(reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var (first, second, score) = (d.Item("p", 0, integer: true), d.Item("p", 1, integer: true), d.Item("p", 2, integer: false));
        var sums = new Dictionary<(long, long), (double Sum, int Pairs, int Tasks)>();
        await using (var command = db.Command($"""
            SELECT a.member_id, b.member_id, SUM({score}), COUNT(*), COUNT(DISTINCT t.id)
            FROM tasks t
            JOIN score_comparisons c ON c.task_id = t.id
            CROSS JOIN {d.JsonArray("c.scores", ScoreSheet.PairsKey, "p")}
            JOIN annotations a ON a.id = {first}
            JOIN annotations b ON b.id = {second}
            WHERE t.project_id = @p {onlyTasks}
            GROUP BY a.member_id, b.member_id
            """, parameters))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var (x, y) = (reader.GetInt64(0), reader.GetInt64(1));
                if (x == y)
                {
                    continue;
                }
                // A sheet stores each pair once, in either order.
                var key = x < y ? (x, y) : (y, x);
                var (sum, pairs, shared) = sums.GetValueOrDefault(key);
                sums[key] = (sum + reader.GetDouble(2), pairs + reader.GetInt32(3), shared + reader.GetInt32(4));
            }
        }

        var agreement = new List<IReadOnlyList<double>>();
        var common = new List<IReadOnlyList<int>>();
        foreach (var row in annotators)
        {
            agreement.Add(annotators.Select(column => row.Id == column.Id ? 1.0
                : sums.TryGetValue(Key(row.Id, column.Id), out var s) ? Math.Round(s.Sum / s.Pairs, 6) : 0).ToList());
            common.Add(annotators.Select(column => row.Id == column.Id ? 0 : sums.TryGetValue(Key(row.Id, column.Id), out var s) ? s.Tasks : 0).ToList());
        }
        var means = sums.Values.Select(s => s.Sum / s.Pairs).ToList();
        double? deviation = means.Count == 0 ? null : Math.Round(Math.Sqrt(means.Average(m => Math.Pow(m - means.Average(), 2))), 6);
        return new PairwiseAgreement(annotators, agreement, common, deviation);

        static (long, long) Key(long a, long b) => a < b ? (a, b) : (b, a);
    }

    /// <summary>The mean of the project's task agreement, the histogram of it in tenths, and how many tasks are below <see cref="LowAgreement"/>.</summary>
    public async Task<AgreementDistribution> AgreementDistributionAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        await db.OpenConnectionAsync(ct);
        // One pass over the project's tasks; bucket edges are literals, so 0.3 is the 0.3 that was stored.
        static string Edge(int tenth) => (tenth / 10.0).ToString("0.0", CultureInfo.InvariantCulture);
        var buckets = string.Join(", ", Enumerable.Range(0, 10).Select(i => i == 9
            ? $"SUM(CASE WHEN agreement >= {Edge(9)} THEN 1 ELSE 0 END)"
            : $"SUM(CASE WHEN agreement >= {Edge(i)} AND agreement < {Edge(i + 1)} THEN 1 ELSE 0 END)"));
        await using var command = db.Command($"""
            SELECT AVG(agreement), COUNT(agreement), COUNT(*),
                   SUM(CASE WHEN agreement < {LowAgreement.ToString(CultureInfo.InvariantCulture)} THEN 1 ELSE 0 END), {buckets}
            FROM score_sheets WHERE project_id = @p
            """, [new("@p", projectId)]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var scored = reader.GetInt32(1);
        int Count(int column) => reader.IsDBNull(column) ? 0 : Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture);
        return new AgreementDistribution(scored == 0 ? null : Math.Round(reader.GetDouble(0), 6), Enumerable.Range(4, 10).Select(Count).ToList(), Count(3), scored,
            reader.GetInt32(2) - scored);
    }

    /// <summary>
    /// Per label (<see cref="LabelAgreement"/>): each annotator's annotations against the ground truth of their tasks,
    /// by annotator id; with a model version, that version's predictions instead (under the key 0). Streamed in task
    /// order with the ground truth beside each row, one task's parsed at a time: a million tasks' results would not fit
    /// in memory at once.
    /// </summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyDictionary<string, double>>> AccuracyPerLabelAsync(Actor actor, long projectId, string? modelVersion = null,
        IReadOnlyCollection<long>? members = null, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see accuracy", ct);
        var settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
        var truths = db.Annotations.AsNoTracking().Where(g => g.GroundTruth && db.Tasks.Any(t => t.Id == g.TaskId && t.ProjectId == projectId));
        var others = modelVersion is null
            ? from a in db.Annotations.AsNoTracking()
              join g in truths on a.TaskId equals g.TaskId
              where !a.GroundTruth && !a.WasCancelled && (members == null || members.Contains(a.MemberId))
              orderby a.TaskId, a.Id
              select new { a.TaskId, Key = a.MemberId, a.Result, Truth = g.Result }
            : from p in db.Predictions.AsNoTracking()
              join g in truths on p.TaskId equals g.TaskId
              where p.ModelVersion == modelVersion
              orderby p.TaskId, p.Id
              select new { p.TaskId, Key = 0L, p.Result, Truth = g.Result };
        var byKey = new SortedDictionary<long, LabelAgreement>();
        (long Task, ParsedResult Parsed)? truth = null;
        await foreach (var other in others.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (truth?.Task != other.TaskId)
            {
                truth = (other.TaskId, ParsedResult.Parse(other.Truth));
            }
            (byKey.TryGetValue(other.Key, out var labels) ? labels : byKey[other.Key] = new LabelAgreement()).Add(truth.Value.Parsed, ParsedResult.Parse(other.Result), settings);
        }
        return byKey.ToDictionary(k => k.Key, k => k.Value.Scores());
    }

    /// <summary>Per label (<see cref="LabelAgreement"/>), every pair of non-cancelled annotations of a task, over the project; streamed a task at a time.</summary>
    public async Task<IReadOnlyDictionary<string, double>> TotalAgreementPerLabelAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        var settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
        var annotations = db.Annotations.AsNoTracking()
            .Where(a => !a.WasCancelled && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId && t.TotalAnnotations - t.CancelledAnnotations > 1))
            .OrderBy(a => a.TaskId).ThenBy(a => a.Id).Select(a => new { a.TaskId, a.Result });
        var labels = new LabelAgreement();
        await foreach (var task in ByTaskAsync(annotations.AsAsyncEnumerable(), a => a.TaskId, ct))
        {
            var results = task.Select(a => ParsedResult.Parse(a.Result)).ToList();
            for (var i = 0; i < results.Count; i++)
            {
                for (var j = i + 1; j < results.Count; j++)
                {
                    labels.Add(results[i], results[j], settings);
                }
            }
        }
        return labels.Scores();
    }

    /// <summary>The rows of a stream in task order, a task's at a time.</summary>
    private static async IAsyncEnumerable<List<T>> ByTaskAsync<T>(IAsyncEnumerable<T> rows, Func<T, long> task, [EnumeratorCancellation] CancellationToken ct)
    {
        var current = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (current.Count > 0 && task(current[0]) != task(row))
            {
                yield return current;
                current = [];
            }
            current.Add(row);
        }
        if (current.Count > 0)
        {
            yield return current;
        }
    }

    /// <summary>
    /// One model version against the project's other versions: per task the mean score of its predictions against
    /// theirs, then the mean over the tasks where both predicted; null when there is no such task.
    /// </summary>
    public async Task<AccuracyStat?> ModelAgreementWithOtherModelsAsync(Actor actor, long projectId, string modelVersion, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        var settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
        var predictions = db.Predictions.AsNoTracking()
            .Where(p => db.Tasks.Any(t => t.Id == p.TaskId && t.ProjectId == projectId)
                && db.Predictions.Any(q => q.TaskId == p.TaskId && q.ModelVersion == modelVersion)
                && db.Predictions.Any(q => q.TaskId == p.TaskId && q.ModelVersion != modelVersion))
            .OrderBy(p => p.TaskId).ThenBy(p => p.Id).Select(p => new { p.TaskId, p.ModelVersion, p.Result });
        var perTask = new List<double>();
        await foreach (var task in ByTaskAsync(predictions.AsAsyncEnumerable(), p => p.TaskId, ct))
        {
            var mine = task.Where(p => p.ModelVersion == modelVersion).Select(p => ParsedResult.Parse(p.Result)).ToList();
            var theirs = task.Where(p => p.ModelVersion != modelVersion).Select(p => ParsedResult.Parse(p.Result)).ToList();
            perTask.Add(mine.SelectMany(m => theirs.Select(t => ResultComparer.Compare(m, t, settings).Score)).Average());
        }
        return perTask.Count == 0 ? null : Stat(modelVersion, perTask);
    }
}
