using System.Text;
using System.Text.Json;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Demo;
using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Scoring;

/// <summary>After every kind of write, the stored agreement, accuracies and breakdowns equal a fresh recomputation.</summary>
public sealed class StoredScoresTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync();
        await _db.ImportAsync(_project, Encoding.UTF8.GetString(DemoData.Generate(60)));
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    private ScoringSettingsService Settings => _db.Services.GetRequiredService<ScoringSettingsService>();

    private TaskQueryService Tasks => _db.Services.GetRequiredService<TaskQueryService>();

    /// <summary>
    /// Compares every task's scores as the API serves them (agreement, lowest accuracy, each annotation's and prediction's
    /// accuracy and breakdown) with a comparison made now, straight from the results, without the score sheets.
    /// </summary>
    private async Task AssertStoredScoresAreFreshAsync(string after)
    {
        await using var db = _db.Context();
        var settings = ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == _project).Select(p => p.ScoringSettings).SingleAsync());
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.ProjectId == _project).Include(t => t.Sheet).Include(t => t.Annotations).Include(t => t.Predictions).ToListAsync();
        foreach (var task in tasks)
        {
            var served = await Tasks.GetTaskAsync(Actor.System, task.Id);
            var counted = task.Annotations.Where(a => !a.WasCancelled).OrderBy(a => a.Id).ToList();
            var groundTruth = counted.SingleOrDefault(a => a.GroundTruth);
            var agreeing = counted.Where(a => settings.GroundTruthInAgreement || !a.GroundTruth).Select(a => ParsedResult.Parse(a.Result)).ToList();
            var agreement = TaskAgreement.Compute(agreeing, settings);
            Assert.True(agreement == task.Sheet!.Agreement && agreement == served.Agreement, $"after {after}: task {task.Id} agreement {task.Sheet!.Agreement} ≠ {agreement}");

            ResultScore? Against(string result) => groundTruth is null ? null : ResultComparer.Compare(groundTruth.Result, result, settings);
            var accuracies = new List<double>();
            foreach (var view in served.Annotations)
            {
                var annotation = task.Annotations.Single(a => a.Id == view.Id);
                var expected = annotation.WasCancelled || annotation.Id == groundTruth?.Id ? null : Against(annotation.Result);
                AssertSame(expected, view.Accuracy, view.Breakdown, $"after {after}: annotation {view.Id}");
                if (expected is not null)
                {
                    accuracies.Add(expected.Score);
                }
            }
            foreach (var view in served.Predictions)
            {
                AssertSame(Against(task.Predictions.Single(p => p.Id == view.Id).Result), view.Accuracy, view.Breakdown, $"after {after}: prediction {view.Id}");
            }
            var lowest = accuracies.Count == 0 ? (double?)null : accuracies.Min();
            Assert.True(lowest is null == task.Sheet!.MinAccuracy is null && Math.Abs((lowest ?? 0) - (task.Sheet!.MinAccuracy ?? 0)) < 1e-9,
                $"after {after}: task {task.Id} min accuracy {task.Sheet!.MinAccuracy} ≠ {lowest}");
        }
    }

    private static void AssertSame(ResultScore? expected, double? accuracy, JsonElement? breakdown, string what)
    {
        if (expected is null)
        {
            Assert.True(accuracy is null && breakdown is null, $"{what}: expected no accuracy, got {accuracy}");
            return;
        }
        Assert.True(accuracy is { } a && Math.Abs(a - expected.Score) < 1e-9, $"{what}: accuracy {accuracy} ≠ {expected.Score}");
        Assert.Equal(Breakdown.ToJson(expected), breakdown?.GetRawText());
    }

    [Fact]
    public async Task A_rescoring_recognises_every_stored_score_sheet_so_it_writes_only_those_that_move()
    {
        // A rescoring leaves a task alone when the sheet it computes is the stored one: it must recognise each sheet as
        // this database prints it, or a setting that moves nothing would rewrite every task.
        await using var db = _db.Context();
        var settings = ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == _project).Select(p => p.ScoringSettings).SingleAsync());
        var tasks = await db.Tasks.Where(t => t.ProjectId == _project).Select(t => t.Id).ToListAsync();
        var annotations = (await db.Annotations.AsNoTracking().Where(a => tasks.Contains(a.TaskId)).ToListAsync()).ToLookup(a => a.TaskId);
        var predictions = (await db.Predictions.AsNoTracking().Where(p => tasks.Contains(p.TaskId)).ToListAsync()).ToLookup(p => p.TaskId);
        var stored = await db.Comparisons.AsNoTracking().Where(c => tasks.Contains(c.TaskId)).ToDictionaryAsync(c => c.TaskId, c => c.Scores);
        byte[] Sheet(long task, ScoringSettings by) => ScoreSheet.Compute(
            [.. annotations[task].Select(a => new ScoredAnnotation(a.Id, a.WasCancelled, a.GroundTruth, a.Result))],
            [.. predictions[task].Select(p => new ScoredPrediction(p.Id, p.Result))], by).ToUtf8Json();

        Assert.Equal(60, stored.Count);
        Assert.All(stored, s => Assert.True(ScoreKeeper.SameAsStored(Sheet(s.Key, settings), s.Value), $"task {s.Key}: {s.Value}"));
        // Another threshold moves some sheets, and exactly those are told apart.
        var stricter = settings with { Threshold = 0.95 };
        var moved = stored.Count(s => !ScoreKeeper.SameAsStored(Sheet(s.Key, stricter), s.Value));
        var differ = stored.Count(s => ScoreSheet.Parse(s.Value).ToJson() != Encoding.UTF8.GetString(Sheet(s.Key, stricter)));
        Assert.InRange(moved, 1, 59);
        Assert.Equal(differ, moved);
    }

    [Fact]
    public async Task Every_write_path_leaves_fresh_scores()
    {
        await AssertStoredScoresAreFreshAsync("import");
        var annotations = await _db.AnnotationsAsync(_project);
        Assert.Contains(await _db.TasksAsync(_project), t => t.Sheet!.MinAccuracy is not null);

        var free = annotations.First(a => !a.GroundTruth && annotations.All(b => b.TaskId != a.TaskId || !b.GroundTruth));
        await _db.GroundTruths.SetAsync(Actor.System, free.Id, ChangeSource.Review);
        await AssertStoredScoresAreFreshAsync("set");

        var sibling = annotations.First(a => a.TaskId == free.TaskId && a.Id != free.Id);
        await _db.GroundTruths.SetAsync(Actor.System, sibling.Id, ChangeSource.Review);
        await AssertStoredScoresAreFreshAsync("replace");

        await _db.GroundTruths.UnsetAsync(Actor.System, sibling.Id, ChangeSource.Review);
        await AssertStoredScoresAreFreshAsync("unset");

        var bob = await _db.MemberIdAsync("bob@demo.local");
        await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, _project, null, TaskSelection.Everything, bob, dryRun: false);
        await AssertStoredScoresAreFreshAsync("bulk set");

        var half = new TaskSelection(false, (await _db.TasksAsync(_project)).Where(t => t.Id % 2 == 0).Select(t => t.Id).ToList());
        await _db.GroundTruths.DeleteAsync(Actor.System, _project, null, half);
        await AssertStoredScoresAreFreshAsync("bulk delete");

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Threshold: 0.8, Weights: new Dictionary<string, double> { ["ner"] = 2 }));
        await Settings.WhenIdleAsync(_project);
        await AssertStoredScoresAreFreshAsync("settings change");

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(RegionCredit: RegionCredit.Overlap,
            LabelWeights: new Dictionary<string, IReadOnlyDictionary<string, double>> { ["ner"] = new Dictionary<string, double> { ["PER"] = 3, ["ORG"] = 0 } }));
        await Settings.WhenIdleAsync(_project);
        await AssertStoredScoresAreFreshAsync("label weights and region credit");
        await using (var db = _db.Context())
        {
            // The settings reached the stored scores: some task agrees otherwise than by the defaults.
            var stored = await db.Tasks.AsNoTracking().Where(t => t.ProjectId == _project).Include(t => t.Sheet).Include(t => t.Annotations).ToListAsync();
            Assert.Contains(stored, t => t.Sheet!.Agreement != TaskAgreement.Compute(
                t.Annotations.Where(a => !a.WasCancelled).OrderBy(a => a.Id).Select(a => ParsedResult.Parse(a.Result)).ToList(), ScoringSettings.Default));
        }

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Methodology: AgreementMethodology.Consensus, GroundTruthInAgreement: false));
        await Settings.WhenIdleAsync(_project);
        await AssertStoredScoresAreFreshAsync("methodology change");
        await _db.GroundTruths.DeleteAsync(Actor.System, _project, null, TaskSelection.Everything);
        await AssertStoredScoresAreFreshAsync("bulk delete without the ground truth in agreement");
        Assert.DoesNotContain(await _db.TasksAsync(_project), t => t.Sheet!.MinAccuracy is not null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_rescoring_in_several_batches_scores_every_task_by_its_own_results(bool readBeside)
    {
        // 760 tasks: five batches (the first and last short), each scored while the one before it is written and the one
        // after it read; beside, the reads go on a second connection, as a rescoring job's do on PostgreSQL.
        await _db.ImportAsync(_project, Encoding.UTF8.GetString(DemoData.Generate(700, seed: 7)));
        var settings = new ScoringSettings(Threshold: 0.8, Weights: new Dictionary<string, double> { ["ner"] = 2 });
        await using (var db = _db.Context())
        await using (var reads = readBeside ? _db.Context() : null)
        {
            // Written behind the service's back, so that only the call below rescores.
            await db.Projects.Where(p => p.Id == _project).ExecuteUpdateAsync(s => s.SetProperty(p => p.ScoringSettings, settings.ToJson()));
            var ids = await db.Tasks.Where(t => t.ProjectId == _project).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
            Assert.Equal(760, ids.Count);
            await using var tx = await db.Database.BeginTransactionAsync();
            await ScoreKeeper.RecomputeAsync(db, settings, ids, CancellationToken.None, reads: reads);
            await tx.CommitAsync();
        }
        await AssertStoredScoresAreFreshAsync("a rescoring of 760 tasks");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(250)]
    [InlineData(417)]
    [InlineData(760)]
    [InlineData(1999)]
    [InlineData(20_000)]
    public void A_rescorings_batches_hold_every_task_once_in_order_and_its_ends_are_short(int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => (long)i * 3).ToList();
        var batches = ScoreKeeper.Batches(ids);
        Assert.Equal(ids, batches.SelectMany(b => b));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 2000));
        if (batches.Count > 2)
        {
            Assert.True(batches[0].Length < batches[1].Length && batches[^1].Length < batches[^2].Length, string.Join(", ", batches.Select(b => b.Length)));
        }
    }

    [Fact]
    public async Task A_rescoring_that_moves_no_score_leaves_every_stored_sheet_as_it_was_written()
    {
        // A sheet is rewritten only when it differs as stored: one sent back in another spelling would rewrite them all.
        await using var db = _db.Context();
        var ids = await db.Tasks.Where(t => t.ProjectId == _project).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync();
        var sheets = db.Comparisons.AsNoTracking().Where(c => ids.Contains(c.TaskId)).OrderBy(c => c.TaskId).Select(c => c.TaskId + " " + c.Scores);
        var imported = await sheets.ToListAsync();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            await ScoreKeeper.RecomputeAsync(db, ScoringSettings.Default, ids, CancellationToken.None);
            await tx.CommitAsync();
        }
        Assert.Equal(60, imported.Count);
        Assert.Equal(imported, await sheets.ToListAsync());
    }

    [Fact]
    public async Task Settings_are_validated_and_progress_reports_completion()
    {
        Assert.Equal("threshold", (await Assert.ThrowsAsync<BadInputException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Threshold: 0)))).Field);
        Assert.Equal("weights", (await Assert.ThrowsAsync<BadInputException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Weights: new Dictionary<string, double> { ["x"] = -1 })))).Field);
        Assert.Equal("methodology", (await Assert.ThrowsAsync<BadInputException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Methodology: (AgreementMethodology)7)))).Field);
        Assert.Equal("region_credit", (await Assert.ThrowsAsync<BadInputException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(RegionCredit: (RegionCredit)7)))).Field);
        Assert.Equal("label_weights", (await Assert.ThrowsAsync<BadInputException>(() => Settings.UpdateAsync(Actor.System, _project,
            new ScoringSettings(LabelWeights: new Dictionary<string, IReadOnlyDictionary<string, double>> { ["ner"] = new Dictionary<string, double> { ["PER"] = -1 } })))).Field);

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Threshold: 0.7));
        await Settings.WhenIdleAsync(_project);
        var (settings, progress) = await Settings.GetAsync(Actor.System, _project);

        Assert.Equal(0.7, settings.Threshold);
        Assert.Equal(new RecomputeProgress(60, 60, false), progress);
    }

    [Fact]
    public async Task Breakdown_json_names_the_figures()
    {
        var withGroundTruth = (await _db.TasksAsync(_project)).Where(t => t.Sheet!.HasGroundTruth).Select(t => t.Id).ToList();
        var scored = (await Task.WhenAll(withGroundTruth.Select(id => Tasks.GetTaskAsync(Actor.System, id))))
            .SelectMany(t => t.Annotations).First(a => a.Breakdown is { } b && b.GetRawText().Contains("rectanglelabels", StringComparison.Ordinal));
        var control = scored.Breakdown!.Value.GetProperty("controls")[0];
        foreach (var field in new[] { "from_name", "type", "score", "matched", "mismatched", "missing", "extra", "invalid", "precision", "recall", "f1", "mean_overlap" })
        {
            Assert.True(control.TryGetProperty(field, out _), field);
        }
        Assert.Equal(scored.Accuracy!.Value, scored.Breakdown.Value.GetProperty("score").GetDouble(), 6);
    }
}
