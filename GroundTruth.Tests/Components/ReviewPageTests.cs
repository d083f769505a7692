using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.Pages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Components;

/// <summary>The first slice of the review page: annotation cards with a star that sets, moves and removes the ground truth.</summary>
public sealed class ReviewPageTests : IAsyncLifetime
{
    private readonly PageWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    private Task<IRenderedComponent<Review>> OpenAsync(string task) => _world.OpenReviewAsync(task);

    private static List<string?> Pressed(IRenderedComponent<Review> page) =>
        page.FindAll("button[aria-label='Ground truth']").Select(b => b.GetAttribute("aria-pressed")).ToList();

    private async Task<long?> GroundTruthAsync(string task)
    {
        var taskId = await _world.TaskIdAsync(task);
        await using var db = _world.Db.Context();
        return await db.Annotations.Where(a => a.TaskId == taskId && a.GroundTruth).Select(a => (long?)a.Id).SingleOrDefaultAsync();
    }

    /// <summary>
    /// Clicks a button, again if a render (the page reloading its task after a notification) replaced its handler
    /// between finding it and clicking it; a click that was dispatched is never repeated.
    /// </summary>
    private static void Click<T>(IRenderedComponent<T> page, string selector, int index) where T : Microsoft.AspNetCore.Components.IComponent =>
        page.WaitForAssertion(() => page.FindAll(selector)[index].Click());

    [Fact]
    public async Task Starring_moves_the_ground_truth_and_starring_it_again_removes_it()
    {
        var page = await OpenAsync("agreed");
        Assert.Equal(["true", "false"], Pressed(page));
        var taskId = await _world.TaskIdAsync("agreed");
        var ids = (await _world.Db.AnnotationsAsync(_world.Project)).Where(a => a.TaskId == taskId).OrderBy(a => a.Id).Select(a => a.Id).ToList();

        Click(page, "button[aria-label='Ground truth']", 1);
        page.WaitForAssertion(() => Assert.Equal(["false", "true"], Pressed(page)));
        Assert.Equal(ids[1], await GroundTruthAsync("agreed"));
        var replaced = page.Find("[data-testid=history] tbody tr").TextContent;
        Assert.Contains("Replaced", replaced, StringComparison.Ordinal);
        Assert.Contains("b's annotation (was a's annotation)", replaced, StringComparison.Ordinal);

        Click(page, "button[aria-label='Ground truth']", 1);
        page.WaitForAssertion(() => Assert.Equal(["false", "false"], Pressed(page)));
        Assert.Null(await GroundTruthAsync("agreed"));
    }

    [Fact]
    public async Task Accuracy_shows_its_breakdown_on_hover_and_the_matrix_stars_the_ground_truth()
    {
        var page = await OpenAsync("agreed");

        var accuracy = page.Find("[data-testid=accuracy]");
        Assert.Contains("100", accuracy.TextContent, StringComparison.Ordinal);
        Assert.Equal("sentiment: 100 %", accuracy.GetAttribute("title"));
        var matrix = page.Find("[data-testid=review-matrix]");
        Assert.Equal(2, matrix.QuerySelectorAll("tr[data-testid=matrix-row]").Length);
        Assert.All(matrix.QuerySelectorAll("[aria-label='Ground truth']"), star => Assert.Equal("a", star.Closest("[data-testid=participant]")!.TextContent.Trim()));
        Assert.Equal(2, matrix.QuerySelectorAll("[aria-label='Ground truth']").Length);
    }

    [Fact]
    public async Task Undo_puts_the_previous_ground_truth_back()
    {
        var snackbars = _world.Context.Render<MudBlazor.MudSnackbarProvider>();
        var page = await OpenAsync("agreed");
        var before = await GroundTruthAsync("agreed");
        Click(page, "button[aria-label='Ground truth']", 1);
        page.WaitForAssertion(() => Assert.Equal(["false", "true"], Pressed(page)));

        snackbars.WaitForAssertion(() => Assert.Contains("annotation is the ground truth", snackbars.Markup, StringComparison.Ordinal));
        // Found and clicked in one step on the renderer: the snackbar redraws itself on its own timers.
        await snackbars.InvokeAsync(() => snackbars.FindAll("button").Single(b => b.TextContent.Trim() == "Undo").Click());

        page.WaitForAssertion(() => Assert.Equal(["true", "false"], Pressed(page)));
        Assert.Equal(before, await GroundTruthAsync("agreed"));
    }

    [Fact]
    public async Task A_change_made_elsewhere_shows_up_within_a_second_with_who_made_it()
    {
        var page = await OpenAsync("split");
        Assert.Equal(["false", "false", "false"], Pressed(page));
        var taskId = await _world.TaskIdAsync("split");
        var third = (await _world.Db.AnnotationsAsync(_world.Project)).Where(a => a.TaskId == taskId).OrderBy(a => a.Id).Last().Id;

        await _world.Db.GroundTruths.SetAsync(new Actor(1, "other@x.org", Role.Administrator), third, ChangeSource.Api);

        page.WaitForAssertion(() => Assert.Equal(["false", "false", "true"], Pressed(page)), TimeSpan.FromSeconds(1));
        var snackbar = (MudBlazor.ISnackbar)_world.Context.Services.GetService(typeof(MudBlazor.ISnackbar))!;
        Assert.Contains(snackbar.ShownSnackbars, s => s.Message == "other@x.org changed the ground truth of this task.");
    }

    [Fact]
    public async Task After_missed_changes_the_page_reloads_without_naming_anyone()
    {
        var page = await OpenAsync("split");
        var taskId = await _world.TaskIdAsync("split");
        var third = (await _world.Db.AnnotationsAsync(_world.Project)).Where(a => a.TaskId == taskId).OrderBy(a => a.Id).Last().Id;

        // A change whose notification never arrived (the node's listener was reconnecting), then the word that some were missed.
        await using (var db = _world.Db.Context())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE annotations SET ground_truth = TRUE WHERE id = {third}");
            await using var tx = await db.Dialect.BeginWriteAsync(db.Database, default);
            await _world.Db.Services.GetRequiredService<IGroundTruthNotifier>().PublishAsync(db, GroundTruthChanged.Missed(_world.Project), default);
            await tx.CommitAsync();
        }

        page.WaitForAssertion(() => Assert.Equal(["false", "false", "true"], Pressed(page)), TimeSpan.FromSeconds(1));
        var snackbar = (MudBlazor.ISnackbar)_world.Context.Services.GetService(typeof(MudBlazor.ISnackbar))!;
        Assert.DoesNotContain(snackbar.ShownSnackbars, s => s.Message?.Contains("changed the ground truth", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Compare_mode_colours_regions_by_how_they_pair_with_the_ground_truth()
    {
        static string Box(string id, double x, string label) =>
            $$$"""{"id": "{{{id}}}", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 100, "original_height": 100, "value": {"x": {{{x}}}, "y": 10, "width": 10, "height": 10, "rotation": 0, "rectanglelabels": ["{{{label}}}"]}}""";
        await _world.Db.ImportAsync(_world.Project, $$"""
            [{"data": {"image": "/demo/images/1.svg"}, "annotations": [
              {"completed_by": {"email": "a@x.org"}, "ground_truth": true, "result": [{{Box("g1", 0, "Car")}}, {{Box("g2", 30, "Person")}}, {{Box("g3", 60, "Tree")}}]},
              {"completed_by": {"email": "b@x.org"}, "result": [{{Box("o1", 1, "Car")}}, {{Box("o2", 30, "Truck")}}, {{Box("o3", 85, "Dog")}}]}]}]
            """);
        var page = await OpenAsync("/demo/images/1.svg");

        Click(page, "button[aria-label='Compare with ground truth']", 0);

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=compare]")));
        string Statuses(string side) => string.Join(",", page.FindAll($"[data-testid={side}] rect").Select(r => $"{r.GetAttribute("data-label")}:{r.GetAttribute("data-status")}"));
        Assert.Equal("Car:matched,Person:wrong-label,Tree:missing", Statuses("compare-ground-truth"));
        Assert.Equal("Car:matched,Truck:wrong-label,Dog:extra", Statuses("compare-other"));
        Assert.Contains("diff-missing", page.Find("[data-testid=compare-ground-truth] rect[data-label=Tree]").ClassName, StringComparison.Ordinal);
        var rows = page.FindAll("[data-testid=differences] tbody tr").Select(r => string.Join("|", r.Children.Select(c => c.TextContent.Trim()))).ToList();
        Assert.Equal(["box|wrong label|Person|Truck", "box|missing|Tree|", "box|extra||Dog", "box|matched|Car|Car"], rows);
    }

    [Fact]
    public async Task A_skipped_annotation_cannot_be_starred_and_says_why()
    {
        await _world.Db.ImportAsync(_world.Project, new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "skipped one" },
            ["annotations"] = new System.Text.Json.Nodes.JsonArray(Fixtures.Annotation("a@x.org", "A"), Fixtures.Annotation("b@x.org", "B", cancelled: true)),
        }).ToJsonString());
        var page = await OpenAsync("skipped one");

        var stars = page.FindAll("button[aria-label='Ground truth']");
        Assert.False(stars[0].HasAttribute("disabled"));
        Assert.True(stars[1].HasAttribute("disabled"));
        Assert.Equal("A skipped annotation cannot be the ground truth.", stars[1].ParentElement!.GetAttribute("title"));
        Assert.Contains("Skipped", page.FindAll("[data-testid=annotation-card]")[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_annotator_is_not_told_which_annotation_is_the_ground_truth()
    {
        await using (var db = _world.Db.Context())
        {
            db.Users.Add(new User { Id = 9, UserName = "ann@test.local", Email = "ann@test.local", DisplayName = "Ann" });
            db.ProjectMemberships.Add(new ProjectMembership { ProjectId = _world.Project, UserId = 9 });
            await db.SaveChangesAsync();
        }
        _world.SignInAs(new Actor(9, "ann@test.local", Role.Annotator));

        var page = await OpenAsync("agreed");

        Assert.Empty(page.FindAll("button[aria-label='Ground truth']"));
        Assert.Empty(page.FindAll(".ground-truth-card"));
        Assert.Empty(page.FindAll("[data-testid=history]"));
        Assert.Empty(page.FindAll("[data-testid=accuracy]"));
        Assert.DoesNotContain("Accuracy vs ground truth", page.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("[data-testid=review-matrix]"));
    }

    [Fact]
    public async Task Task_data_is_text_and_a_task_of_another_project_is_not_found()
    {
        var page = await OpenAsync("split");
        Assert.Contains("split", page.Find("[data-testid=task-data]").TextContent, StringComparison.Ordinal);

        var taskId = await _world.TaskIdAsync("split");
        var elsewhere = _world.Open<Review>($"/projects/999/tasks/{taskId}", p => p.Add(x => x.ProjectId, 999).Add(x => x.TaskId, taskId));
        elsewhere.WaitForAssertion(() => Assert.Contains("does not exist or you are not a member", elsewhere.Markup, StringComparison.Ordinal));
        Assert.Equal(["/projects/999/data", "/"], elsewhere.FindAll("[data-testid=not-found] a").Select(a => a.GetAttribute("href")));
    }
}
