using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>
/// A manager's work in the Data Manager, in Debian's Chromium, over a project imported from the Label Studio fixture
/// <c>three_tasks_two_gts.json</c> plus 120 generated tasks (three annotators; bob missing on every 7th task; cat's
/// annotation already ground truth on every 5th).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataManagerFlowTests : IAsyncLifetime
{
    private BrowserApp _app = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        var fixture = await File.ReadAllTextAsync(Fixtures.LabelStudioFile("three_tasks_two_gts.json"));

        var generated = JsonNode.Parse(Fixtures.Tasks(120, "ann@x.org", "bob@x.org", "cat@x.org"))!.AsArray();
        for (var i = 0; i < generated.Count; i++)
        {
            var annotations = generated[i]!["annotations"]!.AsArray();
            if (i % 5 == 0)
            {
                annotations[2]!["ground_truth"] = true;
            }
            if (i % 7 == 0)
            {
                annotations.RemoveAt(1);
            }
        }
        _project = await _app.Factory.CreateProjectAsync("Flow", fixture, generated.ToJsonString());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Task id → its ground-truth annotation id (null without one), straight from the database.</summary>
    private async Task<Dictionary<long, long?>> GroundTruthsAsync()
    {
        await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruth.Core.Data.GroundTruthDbContext>>().CreateDbContextAsync();
        return await db.Tasks.Where(t => t.ProjectId == _project).Select(t => new { t.Id, t.Sheet!.GroundTruthAnnotationId }).ToDictionaryAsync(t => t.Id, t => t.GroundTruthAnnotationId);
    }

    private async Task<IPage> OpenAsync(string query = "")
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data{query}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview").First).ToBeVisibleAsync();
        return page;
    }

    private static async Task ChooseAsync(IPage page, string label, string option)
    {
        await page.GetByLabel(label, new() { Exact = true }).First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static ILocator PagerInfo(IPage page) => page.GetByText(new Regex(@"^\s*\d+-\d+ of \d+\s*$"));

    private static Task ExpectTotalAsync(IPage page, int total) => Assertions.Expect(PagerInfo(page)).ToContainTextAsync($" of {total}");

    /// <summary>The ID column shows exactly these tasks, in this order (waiting out a load in progress).</summary>
    private static Task ExpectIdsAsync(IPage page, IReadOnlyList<long> ids) =>
        Assertions.Expect(page.Locator("tr.task-row td:nth-child(2)")).ToHaveTextAsync(ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    private static async Task SelectAllMatchingAsync(IPage page, int total)
    {
        await page.GetByLabel("Select this page").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Select all {total:N0} tasks matching the filter" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-count")).ToHaveTextAsync($"{total:N0} selected");
    }

    [Fact]
    public async Task Set_ground_truths_for_the_tasks_without_one_then_delete_them_all()
    {
        var before = await GroundTruthsAsync();
        var without = before.Where(t => t.Value is null).Select(t => t.Key).ToHashSet();
        var page = await OpenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Actions" })).ToBeDisabledAsync();

        // Filter "No" → select all matching → Set Ground Truths from bob.
        await BrowserApp.UntilUrlAsync(page, new Regex("gt=no"), () => ChooseAsync(page, "Ground truth filter", "No"));
        await ExpectTotalAsync(page, without.Count);
        await SelectAllMatchingAsync(page, without.Count);
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Set Ground Truths" }).ClickAsync();
        var dialog = page.GetByTestId("set-ground-truths-dialog");
        await dialog.GetByLabel("Search annotators").FillAsync("bob");
        await dialog.GetByTestId("annotator").Filter(new() { HasText = "bob@x.org" }).ClickAsync();
        // bob is missing on every 7th generated task and on the fixture's tasks.
        var bobs = without.Count(id => id >= before.Keys.Min() + 3 && (id - before.Keys.Min() - 3) % 7 != 0);
        await Assertions.Expect(dialog.GetByTestId("dry-run")).ToContainTextAsync($"will set {bobs}, replace 0, already ground truth 0, no annotation by this annotator {without.Count - bobs}");
        await BrowserApp.ScreenshotAsync(page, "flow-1-set-ground-truths-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync($"set {bobs}, replaced 0");
        // The message hides none of the grid's controls (it used to sit on the filter and the columns button).
        var message = await page.Locator(".mud-snackbar").First.BoundingBoxAsync();
        foreach (var control in new[] { page.GetByTestId("columns-menu"), page.GetByRole(AriaRole.Button, new() { Name = "Actions" }), page.Locator(".mud-select").First })
        {
            var box = await control.BoundingBoxAsync();
            Assert.False(message!.X < box!.X + box.Width && box.X < message.X + message.Width && message.Y < box.Y + box.Height && box.Y < message.Y + message.Height,
                $"The snackbar at ({message.X}, {message.Y}) covers a control at ({box.X}, {box.Y}).");
        }
        // The tasks that got a ground truth left the view, and the selection with them.
        await Assertions.Expect(page.GetByTestId("selected-count")).ToHaveTextAsync($"{without.Count - bobs:N0} selected");

        // Nothing outside the filter was touched: every task that had a ground truth keeps the same one.
        var after = await GroundTruthsAsync();
        Assert.All(before.Where(t => t.Value is not null), t => Assert.Equal(t.Value, after[t.Key]));
        var nowSet = after.Where(t => t.Value is not null && before[t.Key] is null).Select(t => t.Key).ToList();
        Assert.Equal(bobs, nowSet.Count);

        // "Yes" shows exactly the tasks with a ground truth, stars included.
        await BrowserApp.UntilUrlAsync(page, new Regex("gt=yes"), () => ChooseAsync(page, "Ground truth filter", "Yes"));
        var withGroundTruth = after.Where(t => t.Value is not null).Select(t => t.Key).Order().ToList();
        await ExpectTotalAsync(page, withGroundTruth.Count);
        await Assertions.Expect(page.GetByLabel("Ground truth", new() { Exact = true })).ToHaveCountAsync(50);
        await ExpectIdsAsync(page, withGroundTruth.Take(50).ToList());
        await BrowserApp.ScreenshotAsync(page, "flow-2-ground-truth-yes");

        // Delete Ground Truths on all of them: the flags go, the annotations stay.
        var annotations = await CountAnnotationsAsync();
        await SelectAllMatchingAsync(page, withGroundTruth.Count);
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete Ground Truths" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync($"Remove the ground truth from {withGroundTruth.Count} of the {withGroundTruth.Count} selected tasks?");
        await BrowserApp.ScreenshotAsync(page, "flow-3-delete-confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync($"Deleted the ground truth of {withGroundTruth.Count} tasks.");
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("selected-count")).ToHaveTextAsync("0 selected");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Actions" })).ToBeDisabledAsync();
        Assert.All((await GroundTruthsAsync()).Values, Assert.Null);
        Assert.Equal(annotations, await CountAnnotationsAsync());
        await BrowserApp.ScreenshotAsync(page, "flow-4-none-left");
    }

    private async Task<int> CountAnnotationsAsync()
    {
        await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruth.Core.Data.GroundTruthDbContext>>().CreateDbContextAsync();
        return await db.Annotations.CountAsync(a => db.Tasks.Any(t => t.Id == a.TaskId && t.ProjectId == _project));
    }

    [Fact]
    public async Task A_view_built_in_the_page_is_reproduced_by_its_url()
    {
        var page = await OpenAsync();

        // Filter builder: Annotated by contains bob; sort by agreement descending; 25 a page; page 2.
        await page.GetByTestId("toggle-filters").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add filter" }).ClickAsync();
        await ChooseAsync(page, "Column", "Annotated by");
        await ChooseAsync(page, "Annotator", "bob (bob@x.org)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("filters="));
        var bobs = (await _app.Factory.Services.GetRequiredService<TaskQueryService>().GetIdsAsync(Actor.System, _project,
            TaskQuery.Parse("""{"filters":{"conjunction":"and","items":[{"filter":"filter:tasks:annotators","operator":"contains","type":"List","value":"bob@x.org"}]},"ordering":["-tasks:agreement"]}"""),
            null)).ToList();
        await ExpectTotalAsync(page, bobs.Count);
        await ExpectIdsAsync(page, bobs.Order().Take(50).ToList());
        await BrowserApp.UntilUrlAsync(page, new Regex("sort=agreement"), () => page.Locator("th .sortable-column-header", new() { HasText = "Agreement" }).ClickAsync());
        // Each click waits for the rows of the order before: a click on a grid still loading can be lost.
        await ExpectIdsAsync(page, bobs.AsEnumerable().Reverse().Take(50).ToList());
        await BrowserApp.UntilUrlAsync(page, new Regex("sort=-agreement"), () => page.Locator("th .sortable-column-header", new() { HasText = "Agreement" }).ClickAsync());
        await Assertions.Expect(page.Locator("tr.task-row td:nth-child(2)").First).ToHaveTextAsync(bobs[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        await BrowserApp.UntilUrlAsync(page, new Regex("size=25"), () => page.GetByLabel("Rows per page").SelectOptionAsync("25"));
        await Assertions.Expect(PagerInfo(page)).ToContainTextAsync($"1-25 of {bobs.Count}");
        await page.GetByLabel("Next page").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("page=2"));
        await Assertions.Expect(PagerInfo(page)).ToContainTextAsync($"26-50 of {bobs.Count}");
        var ids = bobs.Skip(25).Take(25).ToList();
        await ExpectIdsAsync(page, ids);
        await BrowserApp.ScreenshotAsync(page, "flow-5-built-view");

        // The bookmark, opened in a fresh page, shows the same rows, filter, order and page.
        var bookmark = page.Url;
        var fresh = await page.Context.NewPageAsync();
        await fresh.GotoAsync(bookmark);
        await BrowserApp.WaitInteractiveAsync(fresh);
        await Assertions.Expect(PagerInfo(fresh)).ToContainTextAsync($"26-50 of {bobs.Count}");
        await ExpectIdsAsync(fresh, ids);
        await Assertions.Expect(fresh.GetByTestId("filter-row")).ToHaveCountAsync(1);
        await Assertions.Expect(fresh.GetByTestId("toggle-filters")).ToContainTextAsync("Filters (1)");
        await BrowserApp.ScreenshotAsync(fresh, "flow-6-bookmark-reopened");

        // A row opens the task's review page; coming back restores the grid as it was.
        await fresh.Locator("tr.task-row td:nth-child(2)", new() { HasText = ids[3].ToString(System.Globalization.CultureInfo.InvariantCulture) }).ClickAsync();
        await Assertions.Expect(fresh).ToHaveURLAsync(new Regex($"/projects/{_project}/tasks/{ids[3]}\\?"));
        await Assertions.Expect(fresh.GetByTestId("annotation-card")).ToHaveCountAsync(3);
        await BrowserApp.ScreenshotAsync(fresh, "flow-6b-review-page");
        await fresh.GetByRole(AriaRole.Button, new() { Name = "Data Manager" }).ClickAsync();
        await Assertions.Expect(fresh).ToHaveURLAsync(new Regex($"/projects/{_project}/data\\?"));
        await ExpectIdsAsync(fresh, ids);
        await Assertions.Expect(PagerInfo(fresh)).ToContainTextAsync($"26-50 of {bobs.Count}");
    }

    [Fact]
    public async Task The_agreement_popover_opens_on_hover_and_on_keyboard_focus()
    {
        var page = await OpenAsync("?gt=yes&sort=-agreement");
        var cell = page.Locator(".agreement-cell").First;

        await cell.HoverAsync();
        var popover = page.GetByTestId("agreement-popover");
        await Assertions.Expect(popover).ToBeVisibleAsync();
        await Assertions.Expect(popover.Locator("tr[data-testid=matrix-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(popover.GetByTestId("participant").Filter(new() { Has = page.GetByLabel("Ground truth", new() { Exact = true }) }).First).ToHaveTextAsync("cat");
        await BrowserApp.ScreenshotAsync(page, "flow-7-agreement-popover");

        await page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(popover).ToHaveCountAsync(0);
        await cell.FocusAsync();
        await Assertions.Expect(page.GetByTestId("agreement-popover")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_broken_url_names_the_problem_and_still_shows_tasks()
    {
        var page = await OpenAsync("?filters=%7B%22items%22%3A%5B%7B%22filter%22%3A%22filter%3Atasks%3Anope%22%7D%5D%7D&page=zero");
        await Assertions.Expect(page.GetByTestId("url-problem")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("url-problem").Filter(new() { HasText = "unknown column 'nope'" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("url-problem").Filter(new() { HasText = "'zero' is not a page number" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(50);
        await BrowserApp.ScreenshotAsync(page, "flow-8-broken-url");
    }
}
