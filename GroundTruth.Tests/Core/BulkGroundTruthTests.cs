using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

public sealed class BulkGroundTruthTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    /// <summary>
    /// Five tasks: 0 ann's GT already, 1 bob's GT (replaced), 2 no GT (set), 3 ann only cancelled (skipped), 4 no ann (skipped).
    /// </summary>
    private async Task<(long Project, long Ann, List<long> Tasks)> MixedProjectAsync()
    {
        var project = await _db.NewProjectAsync();
        JsonObject Task(int i, params JsonObject[] annotations) => new()
        {
            ["data"] = new JsonObject { ["text"] = $"t{i}" },
            ["annotations"] = new JsonArray(annotations),
        };
        await _db.ImportAsync(project, new JsonArray(
            Task(0, Fixtures.Annotation("ann@x.org", "A", groundTruth: true), Fixtures.Annotation("bob@x.org", "B")),
            Task(1, Fixtures.Annotation("ann@x.org", "A"), Fixtures.Annotation("bob@x.org", "B", groundTruth: true)),
            Task(2, Fixtures.Annotation("ann@x.org", "A", minute: 1), Fixtures.Annotation("ann@x.org", "B", minute: 9)),
            Task(3, Fixtures.Annotation("ann@x.org", "A", cancelled: true), Fixtures.Annotation("bob@x.org", "B")),
            Task(4, Fixtures.Annotation("bob@x.org", "B"))).ToJsonString());
        return (project, await _db.MemberIdAsync("ann@x.org"), (await _db.TasksAsync(project)).Select(t => t.Id).ToList());
    }

    [Fact]
    public async Task Set_by_annotator_counts_set_replaced_unchanged_and_skipped()
    {
        var (project, ann, tasks) = await MixedProjectAsync();

        var result = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, ann, dryRun: false);

        Assert.Equal(new BulkResult(5, Set: 1, Replaced: 1, Unchanged: 1, Skipped: 2), result);
        var annotations = await _db.AnnotationsAsync(project);
        var groundTruths = annotations.Where(a => a.GroundTruth).ToList();
        Assert.Equal(3, groundTruths.Count);
        Assert.All(groundTruths, a => Assert.Equal("ann@x.org", a.Member!.Email));
        // Task 2: the latest of ann's two annotations.
        Assert.Contains("\"B\"", groundTruths.Single(a => a.TaskId == tasks[2]).Result, StringComparison.Ordinal);
        // Tasks 3 and 4 keep what they had (none).
        Assert.DoesNotContain(groundTruths, a => a.TaskId == tasks[3] || a.TaskId == tasks[4]);
        // One history row per task touched.
        Assert.Equal(GroundTruthChangeKind.Replaced, (await _db.GroundTruths.HistoryAsync(Actor.System, tasks[1]))[0].Kind);
        Assert.Equal(ChangeSource.BulkAction, (await _db.GroundTruths.HistoryAsync(Actor.System, tasks[2]))[0].Source);
        Assert.Single(await _db.GroundTruths.HistoryAsync(Actor.System, tasks[0])); // the import's row only
        Assert.Empty(await _db.GroundTruths.HistoryAsync(Actor.System, tasks[3]));
    }

    [Fact]
    public async Task A_dry_run_returns_the_same_counts_and_writes_nothing()
    {
        var (project, ann, _) = await MixedProjectAsync();
        var before = await _db.SnapshotAsync();

        var preview = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, ann, dryRun: true);

        Assert.Equal(before, await _db.SnapshotAsync());
        var applied = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, ann, dryRun: false);
        Assert.Equal(preview, applied);
    }

    [Fact]
    public async Task Delete_unsets_every_selected_ground_truth_and_keeps_the_annotations()
    {
        var (project, _, tasks) = await MixedProjectAsync();

        var deleted = await _db.GroundTruths.DeleteAsync(Actor.System, project, null, TaskSelection.Everything);

        Assert.Equal(2, deleted);
        Assert.Equal(9, (await _db.AnnotationsAsync(project)).Count);
        Assert.DoesNotContain(await _db.AnnotationsAsync(project), a => a.GroundTruth);
        Assert.All(await _db.TasksAsync(project), t => Assert.False(t.Sheet!.HasGroundTruth));
        var change = (await _db.GroundTruths.HistoryAsync(Actor.System, tasks[1]))[0];
        Assert.Equal((GroundTruthChangeKind.Unset, ChangeSource.BulkAction), (change.Kind, change.Source));
    }

    [Fact]
    public async Task Select_all_with_a_filter_never_touches_a_task_outside_it()
    {
        var (project, ann, tasks) = await MixedProjectAsync();
        var withoutGroundTruth = new TaskQuery(new TaskFilters("and",
            [new TaskFilterItem("filter:tasks:ground_truth", "equal", "Boolean", JsonSerializer.SerializeToElement(false))]));
        var before = (await _db.AnnotationsAsync(project)).Where(a => a.TaskId == tasks[1]).Select(a => a.GroundTruth).ToList();

        var result = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, withoutGroundTruth, TaskSelection.Everything, ann, false);

        Assert.Equal(new BulkResult(3, 1, 0, 0, 2), result);
        Assert.Equal(before, (await _db.AnnotationsAsync(project)).Where(a => a.TaskId == tasks[1]).Select(a => a.GroundTruth));
    }

    [Fact]
    public async Task Included_empty_selects_nothing()
    {
        var (project, ann, _) = await MixedProjectAsync();
        var before = await _db.SnapshotAsync();
        var nothing = new TaskSelection(false, []);

        Assert.Equal(new BulkResult(0, 0, 0, 0, 0), await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, nothing, ann, false));
        Assert.Equal(0, await _db.GroundTruths.DeleteAsync(Actor.System, project, null, nothing));
        Assert.Equal(0, await _db.GroundTruths.DeleteAsync(Actor.System, project, null, new TaskSelection(false)));
        Assert.Equal(before, await _db.SnapshotAsync());
    }

    [Fact]
    public async Task Included_and_excluded_pick_exactly_their_tasks()
    {
        var (project, ann, tasks) = await MixedProjectAsync();

        var included = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, new TaskSelection(false, [tasks[2], tasks[4]]), ann, true);
        var excluded = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, new TaskSelection(true, Excluded: [tasks[0], tasks[1]]), ann, true);

        Assert.Equal(new BulkResult(2, 1, 0, 0, 1), included);
        Assert.Equal(new BulkResult(3, 1, 0, 0, 2), excluded);
    }

    [Fact]
    public async Task Ids_of_another_project_are_never_selected()
    {
        var (project, ann, _) = await MixedProjectAsync();
        var other = await _db.SeedAsync(2, "ann@x.org");
        var otherTasks = (await _db.TasksAsync(other)).Select(t => t.Id).ToList();

        var result = await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, new TaskSelection(false, otherTasks), ann, false);

        Assert.Equal(0, result.ProcessedItems);
        Assert.DoesNotContain(await _db.AnnotationsAsync(other), a => a.GroundTruth);
    }

    [Fact]
    public async Task Unknown_project_or_annotator_is_not_found()
    {
        var (project, _, _) = await MixedProjectAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.SetByAnnotatorAsync(Actor.System, 999, null, TaskSelection.Everything, 1, false));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, 999, false));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.DeleteAsync(Actor.System, 999, null, TaskSelection.Everything));
    }
}
