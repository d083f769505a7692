using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Scoring;

/// <summary>Reads scores: a task's agreement matrix, accuracy per annotator and model version, chance-corrected agreement.</summary>
public sealed partial class ScoreStatisticsService(IDbContextFactory<GroundTruthDbContext> factory)
{
    public async Task<AgreementMatrix> AgreementMatrixAsync(Actor actor, long projectId, long taskId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var taskProject = await Access.EnsureTaskAsync(db, actor, taskId, Role.Annotator, "see agreement", ct);
        if (taskProject != projectId)
        {
            throw new NotFoundException("Task", taskId);
        }
        var settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
        var annotations = await db.Annotations.AsNoTracking().Where(a => a.TaskId == taskId && !a.WasCancelled).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.Result, a.GroundTruth, a.Member!.DisplayName }).ToListAsync(ct);
        var predictions = await db.Predictions.AsNoTracking().Where(p => p.TaskId == taskId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Result, p.ModelVersion }).ToListAsync(ct);
        var sheet = await ScoreKeeper.SheetAsync(db, taskId, ct);
        var shown = GroundTruthVisibility.SeesGroundTruth(actor);
        var participants = annotations.Select(a => new Participant("annotator", a.Id, a.DisplayName, shown && a.GroundTruth))
            .Concat(predictions.Select(p => new Participant("model", p.Id, p.ModelVersion, false))).ToList();
        var results = annotations.Select(a => a.Result).Concat(predictions.Select(p => p.Result)).ToList();
        var parsed = new Dictionary<int, ParsedResult>();
        ParsedResult Parsed(int i) => parsed.TryGetValue(i, out var result) ? result : parsed[i] = ParsedResult.Parse(results[i]);
        // Annotations against each other and against predictions are on the task's score sheet; models against each
        // other (and anything the sheet lacks) are compared here.
        double Score(int i, int j)
        {
            var (a, b) = (participants[i], participants[j]);
            var stored = (a.Kind, b.Kind) switch
            {
                ("annotator", "annotator") => sheet.Against(a.Id, b.Id)?.Score,
                ("annotator", _) => sheet.PredictionAgainst(a.Id, b.Id)?.Score,
                (_, "annotator") => sheet.PredictionAgainst(b.Id, a.Id)?.Score,
                _ => null,
            };
            return stored ?? ResultComparer.Compare(Parsed(i), Parsed(j), settings).Score;
        }
        var matrix = TaskAgreement.Matrix(participants.Count, Score);
        var rows = Enumerable.Range(0, participants.Count)
            .Select(i => (IReadOnlyList<double>)Enumerable.Range(0, participants.Count).Select(j => Math.Round(matrix[i, j], 6)).ToList()).ToList();
        return new AgreementMatrix(participants, rows, shown);
    }

    /// <summary>
    /// An annotation's or a prediction's differences from its task's ground truth (empty without one), as the review
    /// page's compare mode draws them.
    /// </summary>
    public async Task<IReadOnlyList<RegionDifference>> DifferencesAsync(Actor actor, long taskId, long? annotationId, long? predictionId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var projectId = await Access.EnsureTaskAsync(db, actor, taskId, Role.Reviewer, "compare with the ground truth", ct);
        var groundTruth = await db.Annotations.AsNoTracking().Where(a => a.TaskId == taskId && a.GroundTruth).Select(a => a.Result).SingleOrDefaultAsync(ct);
        var other = annotationId is { } a
            ? await db.Annotations.AsNoTracking().Where(x => x.Id == a && x.TaskId == taskId).Select(x => x.Result).SingleOrDefaultAsync(ct)
            : await db.Predictions.AsNoTracking().Where(x => x.Id == predictionId && x.TaskId == taskId).Select(x => x.Result).SingleOrDefaultAsync(ct);
        if (other is null)
        {
            throw new NotFoundException(annotationId is null ? "Prediction" : "Annotation", annotationId ?? predictionId ?? 0);
        }
        return groundTruth is null ? [] : ResultComparer.Differences(ParsedResult.Parse(groundTruth), ParsedResult.Parse(other), await ScoreKeeper.SettingsAsync(db, projectId, ct));
    }

    /// <summary>
    /// Accuracy per annotator over tasks with a ground truth, by email; empty when the project has none.
    /// <paramref name="members"/> limits it to those annotators (Label Studio's <c>ids</c>).
    /// </summary>
    public async Task<IReadOnlyList<AccuracyStat>> AnnotatorAccuracyAsync(Actor actor, long projectId, CancellationToken ct = default, IReadOnlyCollection<long>? members = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see accuracy", ct);
        // Each task's sheet row between its ground truth and another annotation is that annotation's accuracy.
        var rows = new List<(long Id, string Email, double Accuracy)>();
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        var (first, second, score) = (d.Item("p", 0, integer: true), d.Item("p", 1, integer: true), d.Item("p", 2, integer: false));
        await using var command = db.Command($"""
            SELECT m.id, m.email, {score}
            FROM score_sheets s JOIN score_comparisons c ON c.task_id = s.task_id
            CROSS JOIN {d.JsonArray("c.scores", ScoreSheet.PairsKey, "p")}
            JOIN annotations a ON a.id = CASE WHEN {first} = s.ground_truth_annotation_id THEN {second} ELSE {first} END
            JOIN members m ON m.id = a.member_id
            WHERE s.project_id = @p AND s.has_ground_truth = TRUE AND s.ground_truth_annotation_id IN ({first}, {second})
              {(members is null ? "" : $"AND m.id IN ({d.IdList("@members")})")}
            """, [new("@p", projectId), new("@members", d.Ids(members ?? []))]);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetDouble(2)));
            }
        }
        return rows.GroupBy(r => (r.Id, r.Email)).OrderBy(g => g.Key.Email, StringComparer.Ordinal)
            .Select(g => Stat(g.Key.Email, g.Select(r => r.Accuracy).ToList()) with { MemberId = g.Key.Id }).ToList();
    }

    /// <summary>Accuracy of one model version's predictions; null when the project has no scored prediction of it.</summary>
    public async Task<AccuracyStat?> ModelAccuracyAsync(Actor actor, long projectId, string modelVersion, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see accuracy", ct);
        var scores = new List<double>();
        await db.OpenConnectionAsync(ct);
        var d = db.Dialect;
        await using var command = db.Command($"""
            SELECT {d.Item("p", 2, integer: false)}
            FROM score_sheets s JOIN score_comparisons c ON c.task_id = s.task_id
            CROSS JOIN {d.JsonArray("c.scores", ScoreSheet.PredictionsKey, "p")}
            JOIN predictions pr ON pr.id = {d.Item("p", 1, integer: true)}
            WHERE s.project_id = @p AND s.has_ground_truth = TRUE AND {d.Item("p", 0, integer: true)} = s.ground_truth_annotation_id AND pr.model_version = @version
            """, [new("@p", projectId), new("@version", modelVersion)]);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                scores.Add(reader.GetDouble(0));
            }
        }
        return scores.Count == 0 ? null : Stat(modelVersion, scores);
    }

    /// <summary>Chance-corrected agreement on one classification control (choices, rating, …); null when no task has it.</summary>
    public async Task<InterAnnotatorAgreement?> InterAnnotatorAgreementAsync(Actor actor, long projectId, string fromName, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see agreement statistics", ct);
        var annotations = await db.Annotations.AsNoTracking()
            .Where(a => !a.WasCancelled && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId))
            .Select(a => new { a.TaskId, a.Member!.Email, a.Result }).ToListAsync(ct);
        // One label per (task, coder): the control's single value; multi-valued answers join into one category.
        var labels = annotations
            .Select(a => (a.TaskId, a.Email, Label: CategoricalLabel(ParsedResult.Parse(a.Result), fromName)))
            .Where(x => x.Label is not null)
            .GroupBy(x => (x.TaskId, x.Email)).Select(g => g.Last()).ToList();
        if (labels.Count == 0)
        {
            return null;
        }
        var coders = labels.Select(l => l.Email).Distinct().Order(StringComparer.Ordinal).ToList();
        var units = labels.Select(l => l.TaskId).Distinct().Order().ToList();
        var byKey = labels.ToDictionary(l => (l.TaskId, l.Email), l => l.Label!);
        var table = coders.Select(c => (IReadOnlyList<string?>)units.Select(u => byKey.GetValueOrDefault((u, c))).ToList()).ToList();

        var numeric = labels.All(l => double.TryParse(l.Label, System.Globalization.CultureInfo.InvariantCulture, out _));
        var alpha = new Dictionary<string, double?> { ["nominal"] = KrippendorffAlpha.Nominal(table) };
        if (numeric)
        {
            var values = table.Select(row => (IReadOnlyList<double?>)row.Select(v => v is null ? (double?)null : double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToList()).ToList();
            foreach (var level in new[] { AlphaLevel.Ordinal, AlphaLevel.Interval, AlphaLevel.Ratio })
            {
                alpha[level.ToString().ToLowerInvariant()] = KrippendorffAlpha.Compute(values, level);
            }
        }

        // Fleiss: the tasks rated by the most common number of coders.
        var perUnit = units.Select(u => coders.Select(c => byKey.GetValueOrDefault((u, c))).OfType<string>().ToList()).Where(r => r.Count >= 2).ToList();
        double? fleiss = null;
        if (perUnit.Count > 0)
        {
            var k = perUnit.GroupBy(r => r.Count).MaxBy(g => g.Count())!.Key;
            var categories = perUnit.SelectMany(r => r).Distinct().Order(StringComparer.Ordinal).ToList();
            var counts = perUnit.Where(r => r.Count == k).Select(r => (IReadOnlyList<int>)categories.Select(c => r.Count(v => v == c)).ToList()).ToList();
            fleiss = FleissKappa.Compute(counts);
        }

        var pairs = new List<CohenPair>();
        for (var i = 0; i < coders.Count; i++)
        {
            for (var j = i + 1; j < coders.Count; j++)
            {
                var shared = units.Where(u => byKey.ContainsKey((u, coders[i])) && byKey.ContainsKey((u, coders[j]))).ToList();
                if (shared.Count == 0)
                {
                    continue;
                }
                var a = shared.Select(u => byKey[(u, coders[i])]).ToList();
                var b = shared.Select(u => byKey[(u, coders[j])]).ToList();
                pairs.Add(new CohenPair(coders[i], coders[j], shared.Count, CohenKappa.Compute(a, b), CohenKappa.Compute(a, b, KappaWeighting.Linear), CohenKappa.Compute(a, b, KappaWeighting.Quadratic)));
            }
        }
        return new InterAnnotatorAgreement(fromName, units.Count, coders.Count, GwetAc1.PercentAgreement(table), GwetAc1.Ac1(table), fleiss, alpha, pairs);
    }

    /// <summary>
    /// Label against label for one control (every control when <paramref name="fromName"/> is empty): with
    /// <paramref name="groundTruthRows"/>, the ground truth (rows) against every other non-cancelled annotation of the
    /// tasks that have one; otherwise every ordered pair of a task's non-cancelled annotations (a symmetric matrix).
    /// </summary>
    public async Task<ConfusionMatrix> ConfusionMatrixAsync(Actor actor, long projectId, string? fromName, CancellationToken ct = default, bool groundTruthRows = true)
    {
        const string unmatched = "(unmatched)";
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Reviewer, "see accuracy", ct);
        var settings = await ScoreKeeper.SettingsAsync(db, projectId, ct);
        var annotations = await db.Annotations.AsNoTracking()
            .Where(a => !a.WasCancelled && db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == projectId
                && (groundTruthRows ? t.Sheet!.HasGroundTruth : t.TotalAnnotations - t.CancelledAnnotations > 1)))
            .OrderBy(a => a.Id).Select(a => new { a.TaskId, a.GroundTruth, a.Result }).ToListAsync(ct);
        var cells = new Dictionary<(string Row, string Column), int>();
        void Count(ParsedResult row, ParsedResult column)
        {
            var controls = string.IsNullOrEmpty(fromName) ? row.Controls.Keys.Union(column.Controls.Keys) : [fromName];
            foreach (var (r, c) in controls.SelectMany(control => ResultComparer.LabelPairs(row, column, control, settings)))
            {
                var key = (r ?? unmatched, c ?? unmatched);
                cells[key] = cells.GetValueOrDefault(key) + 1;
            }
        }
        foreach (var task in annotations.GroupBy(a => a.TaskId))
        {
            if (groundTruthRows)
            {
                var truth = ParsedResult.Parse(task.Single(a => a.GroundTruth).Result);
                foreach (var other in task.Where(a => !a.GroundTruth))
                {
                    Count(truth, ParsedResult.Parse(other.Result));
                }
                continue;
            }
            var results = task.Select(a => ParsedResult.Parse(a.Result)).ToList();
            for (var i = 0; i < results.Count; i++)
            {
                for (var j = 0; j < results.Count; j++)
                {
                    if (i != j)
                    {
                        Count(results[i], results[j]);
                    }
                }
            }
        }
        var labels = cells.Keys.SelectMany(k => new[] { k.Row, k.Column }).Where(l => l != unmatched).Distinct().Order(StringComparer.Ordinal).ToList();
        var axis = labels.Append(unmatched).ToList();
        var matrix = axis.Select(r => (IReadOnlyList<int>)axis.Select(c => cells.GetValueOrDefault((r, c))).ToList()).ToList();
        var quality = labels.Select(label =>
        {
            var hit = cells.GetValueOrDefault((label, label));
            var used = cells.Where(c => c.Key.Column == label).Sum(c => c.Value);
            var truth = cells.Where(c => c.Key.Row == label).Sum(c => c.Value);
            return new LabelQuality(label, used == 0 ? null : Math.Round((double)hit / used, 6), truth == 0 ? null : Math.Round((double)hit / truth, 6));
        }).ToList();
        return new ConfusionMatrix(fromName ?? "", axis, axis, matrix, quality);
    }

    private static string? CategoricalLabel(ParsedResult result, string fromName)
    {
        if (!result.Controls.TryGetValue(fromName, out var items))
        {
            return null;
        }
        var values = items.SelectMany(i => i.Values).Order(StringComparer.Ordinal).ToList();
        return values.Count == 0 ? null : string.Join(" + ", values);
    }

    /// <summary>Mean with a 95% Wilson score interval, which stays within [0, 1] even for one task.</summary>
    internal static AccuracyStat Stat(string who, IReadOnlyList<double> scores) => Stat(who, scores.Average(), scores.Count);

    internal static AccuracyStat Stat(string who, double mean, int n)
    {
        const double z = 1.959964;
        var p = Math.Clamp(mean, 0, 1);
        var centre = (p + (z * z / (2 * n))) / (1 + (z * z / n));
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z * z / (4.0 * n * n))) / (1 + (z * z / n));
        return new AccuracyStat(who, Math.Round(p, 6), n, Math.Round(Math.Max(0, centre - half), 6), Math.Round(Math.Min(1, centre + half), 6));
    }
}
