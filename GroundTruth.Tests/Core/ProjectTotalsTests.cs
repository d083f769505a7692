using System.Globalization;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Jobs;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>
/// The totals the triggers keep per project (a page's total, the project list's counts) against what the project's tasks
/// add up to, after every kind of write, including those made behind the services' backs.
/// </summary>
public sealed class ProjectTotalsTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    private async Task<ProjectTotals> TotalsAsync(long project)
    {
        Assert.Equal(0, await ScalarAsync(JobWorld.WrongTotals));
        await using var db = _db.Context();
        return await ProjectTotals.ReadAsync(db, project, CancellationToken.None);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await _db.Store.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private async Task<int> PageTotalAsync(long project, bool? groundTruth) =>
        (await _db.Tasks.GetPageAsync(Actor.System, project, new TaskQuery(GroundTruth: groundTruth), 1, 10)).Total;

    /// <summary>The total for Label Studio's own filter item on the ground truth, as scripts send it, with the quick filter too.</summary>
    private async Task<int> ItemTotalAsync(long project, string op, bool value, bool? quick = null) =>
        (await _db.Tasks.GetPageAsync(Actor.System, project, new TaskQuery(
            new TaskFilters("and", [new TaskFilterItem("filter:tasks:ground_truth", op, "Boolean", System.Text.Json.JsonSerializer.SerializeToElement(value))]),
            GroundTruth: quick), 1, 10)).Total;

    [Fact]
    public async Task Totals_follow_imports_stars_bulk_actions_and_writes_behind_the_services()
    {
        var project = await _db.NewProjectAsync();
        Assert.Equal(ProjectTotals.None, await TotalsAsync(project));
        JsonObject Task(int i, params JsonObject[] annotations) => new()
        {
            ["data"] = new JsonObject { ["text"] = $"t{i}" },
            ["annotations"] = new JsonArray(annotations),
            ["predictions"] = new JsonArray(new JsonObject { ["model_version"] = "m1", ["result"] = new JsonArray(Fixtures.Choice("A")) }),
        };
        await _db.ImportAsync(project, new JsonArray(
            Task(0, Fixtures.Annotation("ann@x.org", "A", groundTruth: true), Fixtures.Annotation("bob@x.org", "B")),
            Task(1, Fixtures.Annotation("ann@x.org", "A"), Fixtures.Annotation("bob@x.org", "B", cancelled: true)),
            Task(2, Fixtures.Annotation("bob@x.org", "B", cancelled: true)),
            Task(3)).ToJsonString());
        Assert.Equal(new ProjectTotals(Tasks: 4, GroundTruths: 1, AnnotatedTasks: 2, Annotations: 3, CancelledAnnotations: 2, Predictions: 4), await TotalsAsync(project));
        Assert.Equal((4, 1, 3), (await PageTotalAsync(project, null), await PageTotalAsync(project, true), await PageTotalAsync(project, false)));
        Assert.Equal((1, 3, 3), (await ItemTotalAsync(project, "equal", true), await ItemTotalAsync(project, "not_equal", true), await ItemTotalAsync(project, "equal", false)));
        Assert.Equal((1, 0), (await ItemTotalAsync(project, "equal", true, quick: true), await ItemTotalAsync(project, "equal", false, quick: true)));

        var annotations = await _db.AnnotationsAsync(project);
        var tasks = (await _db.TasksAsync(project)).Select(t => t.Id).ToList();
        var bobOnFirst = annotations.Single(a => a.TaskId == tasks[0] && a.Member!.Email == "bob@x.org").Id;
        await _db.GroundTruths.SetAsync(Actor.System, bobOnFirst, ChangeSource.Review); // moves the star: still one
        Assert.Equal(1, (await TotalsAsync(project)).GroundTruths);
        await _db.GroundTruths.UnsetAsync(Actor.System, bobOnFirst, ChangeSource.Review);
        Assert.Equal(0, (await TotalsAsync(project)).GroundTruths);
        Assert.Equal((4, 0, 4), (await PageTotalAsync(project, null), await PageTotalAsync(project, true), await PageTotalAsync(project, false)));

        var ann = await _db.MemberIdAsync("ann@x.org");
        await _db.GroundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, ann, dryRun: false);
        Assert.Equal(2, (await TotalsAsync(project)).GroundTruths);
        await _db.GroundTruths.DeleteAsync(Actor.System, project, null, TaskSelection.Everything);
        Assert.Equal(0, (await TotalsAsync(project)).GroundTruths);

        // Behind the services: a cancelled annotation restored, an annotation and a prediction deleted, a task deleted.
        await ScalarAsync($"UPDATE annotations SET was_cancelled = FALSE WHERE task_id = {tasks[2]}");
        Assert.Equal(new ProjectTotals(4, 0, 3, 4, 1, 4), await TotalsAsync(project));
        await ScalarAsync($"DELETE FROM annotations WHERE task_id = {tasks[0]} AND member_id = {ann}");
        await ScalarAsync($"DELETE FROM predictions WHERE task_id = {tasks[3]}");
        Assert.Equal(new ProjectTotals(4, 0, 3, 3, 1, 3), await TotalsAsync(project));
        await ScalarAsync($"DELETE FROM tasks WHERE id = {tasks[1]}");
        Assert.Equal(new ProjectTotals(3, 0, 2, 2, 0, 2), await TotalsAsync(project));
        Assert.Equal(3, (await _db.Projects.ListAsync(Actor.System)).Single(p => p.Id == project).TaskCount);
    }

    [Fact]
    public async Task A_projects_rows_are_folded_into_one_as_they_are_read_and_go_with_the_project()
    {
        var project = await _db.SeedAsync(4, "a@x.org");
        var ids = (await _db.AnnotationsAsync(project)).Select(a => a.Id).ToArray();
        // Eighty stars and unstars from four writers at once, each on its own task: on PostgreSQL each adds a row of its
        // change (80 rows, more than are ever added up unfolded), and no writer waits for another's.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var id = ids[w];
                _ = i % 2 == 0 ? await _db.GroundTruths.SetAsync(Actor.System, id, ChangeSource.Review) : await _db.GroundTruths.UnsetAsync(Actor.System, id, ChangeSource.Review);
            }
        })));
        var counted = (await _db.TasksAsync(project)).Count(t => t.Sheet!.HasGroundTruth);

        Assert.Equal(counted, await PageTotalAsync(project, true));
        Assert.Equal(1, await ScalarAsync($"SELECT COUNT(*) FROM project_totals WHERE project_id = {project}"));
        Assert.Equal(counted, (await TotalsAsync(project)).GroundTruths);

        await ScalarAsync($"DELETE FROM projects WHERE id = {project}");
        Assert.Equal(0, await ScalarAsync("SELECT COUNT(*) FROM project_totals"));
    }
}
