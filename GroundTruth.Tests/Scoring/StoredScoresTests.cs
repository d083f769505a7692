using System.Text;
using System.Text.Json;
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

    /// <summary>Compares every task's stored scores with <see cref="TaskScoring.Compute"/> over what the database holds now.</summary>
    private async Task AssertStoredScoresAreFreshAsync(string after)
    {
        await using var db = _db.Context();
        var settings = ScoringSettings.FromJson(await db.Projects.Where(p => p.Id == _project).Select(p => p.ScoringSettings).SingleAsync());
        var tasks = await db.Tasks.AsNoTracking().Where(t => t.ProjectId == _project).Include(t => t.Annotations).Include(t => t.Predictions).ToListAsync();
        foreach (var task in tasks)
        {
            var fresh = TaskScoring.Compute(
                task.Annotations.OrderBy(a => a.Id).Select(a => new ScoredAnnotation(a.Id, a.WasCancelled, a.GroundTruth, a.Result)).ToList(),
                task.Predictions.OrderBy(p => p.Id).Select(p => new ScoredPrediction(p.Id, p.Result)).ToList(),
                settings);
            Assert.True(fresh.Agreement == task.Agreement, $"after {after}: task {task.Id} agreement {task.Agreement} ≠ {fresh.Agreement}");
            Assert.True(fresh.MinAccuracy == task.MinAccuracy, $"after {after}: task {task.Id} min accuracy {task.MinAccuracy} ≠ {fresh.MinAccuracy}");
            foreach (var expected in fresh.Annotations)
            {
                var stored = task.Annotations.Single(a => a.Id == expected.Id);
                Assert.True((expected.Accuracy, expected.Breakdown) == (stored.Accuracy, stored.Breakdown), $"after {after}: annotation {stored.Id} {stored.Accuracy} ≠ {expected.Accuracy}");
            }
            foreach (var expected in fresh.Predictions)
            {
                var stored = task.Predictions.Single(p => p.Id == expected.Id);
                Assert.True((expected.Accuracy, expected.Breakdown) == (stored.Accuracy, stored.Breakdown), $"after {after}: prediction {stored.Id} {stored.Accuracy} ≠ {expected.Accuracy}");
            }
        }
    }

    [Fact]
    public async Task Every_write_path_leaves_fresh_scores()
    {
        await AssertStoredScoresAreFreshAsync("import");
        var annotations = await _db.AnnotationsAsync(_project);
        Assert.Contains(annotations, a => a.Accuracy is not null);

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

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Methodology: AgreementMethodology.Consensus, GroundTruthInAgreement: false));
        await Settings.WhenIdleAsync(_project);
        await AssertStoredScoresAreFreshAsync("methodology change");
        await _db.GroundTruths.DeleteAsync(Actor.System, _project, null, TaskSelection.Everything);
        await AssertStoredScoresAreFreshAsync("bulk delete without the ground truth in agreement");
        Assert.DoesNotContain(await _db.AnnotationsAsync(_project), a => a.Accuracy is not null);
    }

    [Fact]
    public async Task Settings_are_validated_and_progress_reports_completion()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Threshold: 0)));
        await Assert.ThrowsAsync<ArgumentException>(() => Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Weights: new Dictionary<string, double> { ["x"] = -1 })));

        await Settings.UpdateAsync(Actor.System, _project, new ScoringSettings(Threshold: 0.7));
        await Settings.WhenIdleAsync(_project);
        var (settings, progress) = await Settings.GetAsync(Actor.System, _project);

        Assert.Equal(0.7, settings.Threshold);
        Assert.Equal(new RecomputeProgress(60, 60, false), progress);
    }

    [Fact]
    public async Task Breakdown_json_names_the_figures()
    {
        var scored = (await _db.AnnotationsAsync(_project)).First(a => a.Breakdown is not null && a.Breakdown.Contains("rectanglelabels", StringComparison.Ordinal));
        using var breakdown = JsonDocument.Parse(scored.Breakdown!);
        var control = breakdown.RootElement.GetProperty("controls")[0];
        foreach (var field in new[] { "from_name", "type", "score", "matched", "mismatched", "missing", "extra", "invalid", "precision", "recall", "f1", "mean_overlap" })
        {
            Assert.True(control.TryGetProperty(field, out _), field);
        }
        Assert.Equal(scored.Accuracy!.Value, breakdown.RootElement.GetProperty("score").GetDouble(), 6);
    }
}
