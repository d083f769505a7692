using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>The review page in Debian's Chromium: stars by mouse and keyboard, two reviewers at once, navigation, hostile data.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReviewBrowserTests : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
    private BrowserApp _app = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        var tasks = JsonNode.Parse(Fixtures.Tasks(12, "ann@x.org", "bob@x.org", "cat@x.org"))!.AsArray();
        tasks[0]!["data"]!["text"] = Hostile;
        for (var i = 0; i < tasks.Count; i += 3)
        {
            tasks[i]!["annotations"]![0]!["ground_truth"] = true;
        }
        _project = await _app.Factory.CreateProjectAsync("Review", tasks.ToJsonString());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(long Task, List<long> Annotations)> TaskAsync(int index)
    {
        await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
        var task = await db.Tasks.Where(t => t.ProjectId == _project).OrderBy(t => t.Id).Skip(index).Select(t => t.Id).FirstAsync();
        return (task, await db.Annotations.Where(a => a.TaskId == task).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());
    }

    private async Task<long?> GroundTruthAsync(long task)
    {
        await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
        return await db.Annotations.Where(a => a.TaskId == task && a.GroundTruth).Select(a => (long?)a.Id).SingleOrDefaultAsync();
    }

    private async Task<long?> SettledGroundTruthAsync(long task)
    {
        var count = -1;
        for (var i = 0; i < 20; i++)
        {
            await Task.Delay(150);
            await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
            var now = await db.GroundTruthChanges.CountAsync(c => c.TaskId == task);
            if (now == count && now > 0)
            {
                break;
            }
            count = now;
        }
        return await GroundTruthAsync(task);
    }

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync(path);
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("annotation-card").First).ToBeVisibleAsync();
        await ShortcutsListeningAsync(page);
        return page;
    }

    /// <summary>The page's keyboard listener is in place (it registers once the task shows).</summary>
    private static Task ShortcutsListeningAsync(IPage page) =>
        Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keyboard shortcuts" })).ToHaveAttributeAsync("data-listening", "true");

    private static ILocator Stars(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Ground truth", Exact = true });

    private static async Task ExpectPressedAsync(IPage page, params string[] pressed)
    {
        for (var i = 0; i < pressed.Length; i++)
        {
            await Assertions.Expect(Stars(page).Nth(i)).ToHaveAttributeAsync("aria-pressed", pressed[i]);
        }
    }

    [Fact]
    public async Task Star_move_and_unstar_with_the_mouse_then_with_the_keyboard()
    {
        var (task, annotations) = await TaskAsync(1);
        var page = await OpenAsync($"/projects/{_project}/tasks/{task}");
        await ExpectPressedAsync(page, "false", "false", "false");

        await Stars(page).Nth(1).ClickAsync();
        await ExpectPressedAsync(page, "false", "true", "false");
        Assert.Equal(annotations[1], await GroundTruthAsync(task));
        await Stars(page).Nth(2).ClickAsync();
        await ExpectPressedAsync(page, "false", "false", "true");
        Assert.Equal(annotations[2], await GroundTruthAsync(task));
        await Stars(page).Nth(2).ClickAsync();
        await ExpectPressedAsync(page, "false", "false", "false");
        Assert.Null(await GroundTruthAsync(task));
        await BrowserApp.ScreenshotAsync(page, "review-1-mouse");
        // Closing a snackbar drops the focus to the page's body: the shortcuts work from there too.
        await page.Locator(".mud-snackbar").First.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // Keyboard: 1 focuses the first card, S stars it; 3 then S moves the star; S again removes it.
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("s");
        await ExpectPressedAsync(page, "true", "false", "false");
        Assert.Equal(annotations[0], await GroundTruthAsync(task));
        await page.Keyboard.PressAsync("3");
        await page.Keyboard.PressAsync("s");
        await ExpectPressedAsync(page, "false", "false", "true");
        Assert.Equal(annotations[2], await GroundTruthAsync(task));
        await page.Keyboard.PressAsync("s");
        await ExpectPressedAsync(page, "false", "false", "false");
        Assert.Null(await GroundTruthAsync(task));
        await BrowserApp.ScreenshotAsync(page, "review-2-keyboard");
    }

    [Fact]
    public async Task Two_reviewers_star_different_annotations_at_once_and_both_see_the_one_that_won()
    {
        var (task, annotations) = await TaskAsync(2);
        var first = await OpenAsync($"/projects/{_project}/tasks/{task}");
        var second = await OpenAsync($"/projects/{_project}/tasks/{task}");

        await Task.WhenAll(Stars(first).Nth(0).ClickAsync(), Stars(second).Nth(1).ClickAsync());

        // Exactly one ground truth remains, and within a second of the last change both pages show that one. The second
        // write may wait for the first's row lock (PostgreSQL), so the winner is read once the history stops growing.
        var winner = await SettledGroundTruthAsync(task);
        Assert.Contains(winner!.Value, annotations.Take(2));
        var expected = annotations.Select(a => a == winner ? "true" : "false").ToArray();
        foreach (var page in new[] { first, second })
        {
            for (var i = 0; i < expected.Length; i++)
            {
                await Assertions.Expect(Stars(page).Nth(i)).ToHaveAttributeAsync("aria-pressed", expected[i], new() { Timeout = 1000 });
            }
        }
        await BrowserApp.ScreenshotAsync(first, "review-3-concurrent-first");
        await BrowserApp.ScreenshotAsync(second, "review-3-concurrent-second");
    }

    [Fact]
    public async Task On_a_phone_the_title_bar_is_in_view_below_the_header_after_load()
    {
        var (task, _) = await TaskAsync(1);
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync($"/projects/{_project}/tasks/{task}");
        await BrowserApp.WaitInteractiveAsync(page);
        await ShortcutsListeningAsync(page);
        var header = await page.Locator(".mud-appbar").BoundingBoxAsync();
        foreach (var control in new[] { page.GetByRole(AriaRole.Button, new() { Name = "Data Manager" }), page.GetByLabel("Next task"), page.GetByText($"Task {task}", new() { Exact = true }) })
        {
            var box = await control.BoundingBoxAsync();
            Assert.True(box!.Y >= header!.Y + header.Height && box.Y + box.Height <= 844 && box.X + box.Width <= 390,
                $"A title bar control at ({box.X}, {box.Y}) is not in view below the header (bottom {header.Y + header.Height}).");
        }
        await BrowserApp.ScreenshotAsync(page, "review-phone");
    }

    [Fact]
    public async Task Question_mark_lists_the_shortcuts_and_escape_closes_the_list_without_leaving_the_page()
    {
        var (task, _) = await TaskAsync(1);
        var page = await OpenAsync($"/projects/{_project}/tasks/{task}");
        await page.Keyboard.PressAsync("?");
        var shortcuts = page.GetByTestId("shortcuts");
        await Assertions.Expect(shortcuts.Locator("tbody tr")).ToHaveCountAsync(5);
        await Assertions.Expect(shortcuts).ToContainTextAsync("Star the picked annotation");
        await BrowserApp.ScreenshotAsync(page, "review-5-shortcuts");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(shortcuts).ToHaveCountAsync(0);
        Assert.Contains($"/tasks/{task}", page.Url, StringComparison.Ordinal);
        // And the button opens the same list.
        await page.GetByRole(AriaRole.Button, new() { Name = "Keyboard shortcuts" }).ClickAsync();
        await Assertions.Expect(shortcuts).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Previous_and_next_follow_the_grid_filter_and_order_and_escape_goes_back()
    {
        // Tasks without ground truth, newest first.
        var expected = await _app.Factory.Services.GetRequiredService<TaskQueryService>()
            .GetIdsAsync(Actor.System, _project, new TaskQuery(null, ["-tasks:id"], GroundTruth: false), null);
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data?gt=no&sort=-id");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("tr.task-row td:nth-child(2)").First).ToHaveTextAsync(expected[0].ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The ID cell: the checkbox and agreement cells keep their clicks to themselves.
        await BrowserApp.UntilUrlAsync(page, new Regex($"/tasks/{expected[0]}\\?"), () => page.Locator("tr.task-row td:nth-child(2)").First.ClickAsync());
        await Assertions.Expect(page.GetByTestId("annotation-card").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Previous task")).ToBeDisabledAsync();
        await Assertions.Expect(page.GetByLabel("Next task")).ToBeEnabledAsync();
        await ShortcutsListeningAsync(page);

        // One key or click, one step, and never pressed again: the key was always taken, it was a wait that missed the
        // step (see BrowserApp.ShowsUrlAsync), and pressing again then stepped twice. The address bar is polled.
        async Task StepAsync(Func<Task> act, long to)
        {
            await act();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/tasks/{to}\\?"));
        }
        await StepAsync(() => page.Keyboard.PressAsync("ArrowRight"), expected[1]);
        // Clicked once the task shows: CI once clicked while the address bar had changed and the page still showed the
        // task before, so Next stepped to the task already arriving.
        await Assertions.Expect(page.GetByText($"Task {expected[1]}", new() { Exact = true })).ToBeVisibleAsync();
        await StepAsync(() => page.GetByLabel("Next task").ClickAsync(), expected[2]);
        // Once the task shows, as a reviewer would press it (the address bar changes before the server has the new task;
        // a key before that steps from the task still shown), but maybe before its neighbours: the arrow is taken once
        // they are known.
        await Assertions.Expect(page.GetByText($"Task {expected[2]}", new() { Exact = true })).ToBeVisibleAsync();
        await StepAsync(() => page.Keyboard.PressAsync("ArrowLeft"), expected[1]);
        // The page has settled on the task once its neighbours are known.
        await Assertions.Expect(page.GetByLabel("Next task")).ToBeEnabledAsync();
        await Assertions.Expect(page.GetByLabel("Previous task")).ToBeEnabledAsync();
        await BrowserApp.ScreenshotAsync(page, "review-4-navigation");

        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/projects/{_project}/data\\?"));
        await Assertions.Expect(page.Locator("tr.task-row td:nth-child(2)")).ToHaveTextAsync(expected.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    [Fact]
    public async Task Compare_mode_draws_the_differences_over_the_image()
    {
        static string Box(string id, double x, string label) => Fixtures.Box(id, x, label, rotation: x > 50 ? 15 : 0);
        var project = await _app.Factory.CreateProjectAsync("Compare", $$"""
            [{"data": {"image": "/demo/images/3.svg"}, "annotations": [
              {"completed_by": {"email": "ann@x.org"}, "ground_truth": true, "result": [{{Box("g1", 5, "Car")}}, {{Box("g2", 40, "Person")}}, {{Box("g3", 70, "Tree")}}]},
              {"completed_by": {"email": "bob@x.org"}, "result": [{{Box("o1", 6, "Car")}}, {{Box("o2", 41, "Truck")}}, {{Box("o3", 92, "Dog")}}]}]}]
            """);
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{project}/tasks/{await _app.Factory.FirstTaskAsync(project)}");
        await BrowserApp.WaitInteractiveAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Compare with ground truth" }).ClickAsync();

        var compare = page.GetByTestId("compare");
        await Assertions.Expect(compare.GetByTestId("compare-other").Locator("rect[data-status=extra]")).ToHaveCountAsync(1);
        await Assertions.Expect(compare.GetByTestId("compare-ground-truth").Locator("rect[data-status=missing]")).ToHaveAttributeAsync("data-label", "Tree");
        await Assertions.Expect(compare.GetByTestId("compare-other").Locator("rect[data-status=wrong-label]")).ToHaveAttributeAsync("data-label", "Truck");
        await Assertions.Expect(compare.GetByTestId("differences").Locator("tbody tr").First).ToContainTextAsync("wrong label");
        await BrowserApp.ScreenshotAsync(page, "review-6-compare");
    }

    [Fact]
    public async Task Markup_in_task_data_is_shown_as_text()
    {
        var (task, _) = await TaskAsync(0);
        var page = await OpenAsync($"/projects/{_project}/tasks/{task}");

        await Assertions.Expect(page.GetByTestId("task-data")).ToContainTextAsync(Hostile);
        Assert.Equal(0, await page.Locator("img[src='x']").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await BrowserApp.ScreenshotAsync(page, "review-5-xss");
    }
}
