using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>The first slice of the Data Manager: task data shown as text, the ground-truth column and quick filter in the URL.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DataManagerBrowserTests : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
    private BrowserApp _app = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        var tasks = new JsonArray(
            new JsonObject { ["data"] = new JsonObject { ["text"] = Hostile }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", groundTruth: true)) },
            new JsonObject { ["data"] = new JsonObject { ["image"] = "javascript:window.__xss=3" } },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "plain" }, ["annotations"] = new JsonArray(Fixtures.Annotation("b@x.org", "B")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "agreed" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A"), Fixtures.Annotation("b@x.org", "A")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "disputed" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A"), Fixtures.Annotation("b@x.org", "B")) });
        _project = await _app.Factory.CreateProjectAsync("XSS", tasks.ToJsonString());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Markup_in_task_data_is_shown_as_text()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");

        var previews = page.GetByTestId("preview");
        await Assertions.Expect(previews).ToHaveCountAsync(5);
        Assert.Contains(Hostile, await previews.AllInnerTextsAsync());
        Assert.Contains("javascript:window.__xss=3", await previews.AllInnerTextsAsync());
        Assert.Equal(0, await page.Locator("img[src='x'], img[src^='javascript']").CountAsync());
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await BrowserApp.ScreenshotAsync(page, "data-manager-xss");
    }

    [Fact]
    public async Task Agreement_shows_as_a_coloured_percentage_or_a_dash()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");

        var chips = page.GetByTestId("agreement");
        await Assertions.Expect(chips).ToHaveCountAsync(2);
        Assert.Equal(["100%", "0%"], (await chips.AllInnerTextsAsync()).Select(t => t.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Contains("mud-chip-color-success", await chips.Nth(0).GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("mud-chip-color-error", await chips.Nth(1).GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        await Assertions.Expect(page.GetByTitle("Fewer than two annotations")).ToHaveCountAsync(3);
        // WCAG AA: the chips' text against their colour, at least 4.5:1 (white on green and red was 2.3 and 3.7).
        foreach (var chip in await chips.AllAsync())
        {
            var ratio = await chip.EvaluateAsync<double>("""
                e => {
                    const luminance = c => {
                        const [r, g, b] = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map(v => v / 255)
                            .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
                        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
                    };
                    const style = getComputedStyle(e);
                    const [a, b] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
                    return (a + 0.05) / (b + 0.05);
                }
                """);
            Assert.True(ratio >= 4.5, $"Agreement chip '{await chip.InnerTextAsync()}' has a contrast of {ratio:0.00}:1.");
        }
        // The columns menu's button has a name a screen reader says.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Columns" })).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "data-manager-agreement");
    }

    [Fact]
    public async Task The_ground_truth_filter_lives_in_the_url()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);

        await page.GetByLabel("Ground truth filter").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Yes" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("gt=yes"));
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByLabel("Ground truth", new() { Exact = true })).ToHaveCountAsync(1);

        // A bookmarked URL reproduces the view.
        var bookmarked = await page.Context.NewPageAsync();
        await bookmarked.GotoAsync($"/projects/{_project}/data?gt=no");
        await Assertions.Expect(bookmarked.GetByTestId("preview")).ToHaveCountAsync(4);
        await BrowserApp.ScreenshotAsync(bookmarked, "data-manager-no-ground-truth");
    }

    [Fact]
    public async Task A_saved_view_is_a_tab_that_opens_its_filter_and_a_new_one_keeps_the_current()
    {
        var client = _app.Factory.AdminClient();
        (await client.PostAsJsonAsync("/api/dm/views/", new
        {
            project = _project,
            data = new { title = "Two annotators", filters = new { conjunction = "and", items = new[] { new { filter = "filter:tasks:total_annotations", @operator = "equal", type = "Number", value = 2 } } } },
        })).EnsureSuccessStatusCode();
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Two annotators" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("view="));
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Two annotators" })).ToHaveAttributeAsync("aria-selected", "true");
        await BrowserApp.ScreenshotAsync(page, "data-manager-view-tab");

        // The quick filter on top of the tab marks it changed; a new tab keeps both.
        await page.GetByLabel("Ground truth filter").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "No" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Two annotators *" })).ToHaveCountAsync(1);
        await page.GetByTestId("view-add").ClickAsync();
        await page.GetByLabel("View title").FillAsync("Disputed");
        await page.GetByTestId("view-title-save").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Disputed" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Tab)).ToHaveTextAsync(["All tasks", "Two annotators", "Disputed"], new() { IgnoreCase = true });
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(2);
        // The picture after the tabs' colour transition, without the tooltip of the focused + button.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await page.WaitForTimeoutAsync(500);
        await BrowserApp.ScreenshotAsync(page, "data-manager-view-new-tab");
    }

    [Fact]
    public async Task A_tab_shows_the_columns_it_saved_and_saves_a_column_change_for_whoever_opens_it_next()
    {
        var client = _app.Factory.AdminClient();
        var created = await (await client.PostAsJsonAsync("/api/dm/views/", new
        {
            project = _project,
            data = new { title = "Lean", hiddenColumns = new { explore = new[] { "tasks:annotators", "tasks:data.text" } } },
        })).Content.ReadFromJsonAsync<JsonObject>();
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Annotated by" })).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Lean" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("hidden=annotators"));
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Annotated by" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Inner ID" })).ToHaveCountAsync(1);
        await BrowserApp.ScreenshotAsync(page, "data-manager-view-tab-columns");

        // Hiding Data in the open tab marks it changed; saved, the tab keeps it for the next person who opens it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Data", new() { Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Lean *" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(0);
        await page.GetByTestId("view-menu").ClickAsync();
        await page.GetByTestId("view-save").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Lean", Exact = true })).ToHaveCountAsync(1);
        var saved = await client.GetFromJsonAsync<JsonObject>($"/api/dm/views/{created!["id"]}");
        Assert.Equal("""{"explore":["tasks:data.text","tasks:data","tasks:annotators"]}""", saved!["data"]!["hiddenColumns"]!.ToJsonString());

        // All tasks shows this browser's columns again; the tab, opened anew, its own.
        await page.GetByRole(AriaRole.Tab, new() { Name = "All tasks" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Annotated by" })).ToHaveCountAsync(1);
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(other);
        await other.GetByRole(AriaRole.Tab, new() { Name = "Lean" }).ClickAsync();
        await Assertions.Expect(other.GetByRole(AriaRole.Columnheader, new() { Name = "Annotated by" })).ToHaveCountAsync(0);
        await Assertions.Expect(other.GetByRole(AriaRole.Columnheader, new() { Name = "Data" })).ToHaveCountAsync(0);
        await Assertions.Expect(other.GetByRole(AriaRole.Tab, new() { Name = "Lean", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");

        // The tab's rows, then a task opened from the tab, and back: the grid returns to the tab, not to All tasks showing
        // the tab's columns. (Its headers draw before its rows: CI once found no row to click 30 s after them.)
        await BrowserApp.StepAsync(other, "tab-rows", () => Assertions.Expect(other.Locator("tr.task-row")).ToHaveCountAsync(5));
        await BrowserApp.UntilUrlAsync(other, new System.Text.RegularExpressions.Regex("/tasks/"), () => other.Locator("tr.task-row td:nth-child(2)").First.ClickAsync());
        await Assertions.Expect(other.GetByTestId("annotation-card").First).ToBeVisibleAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Data Manager" }).ClickAsync();
        await Assertions.Expect(other).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/data\\?.*view={created["id"]}"));
        await Assertions.Expect(other.GetByRole(AriaRole.Tab, new() { Name = "Lean", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(other.GetByRole(AriaRole.Columnheader, new() { Name = "Data" })).ToHaveCountAsync(0);

        // A bookmark of the tab from before tabs kept columns (no hidden=): the page, prerendered or not, puts the tab's in.
        await other.GotoAsync($"/projects/{_project}/data?view={created["id"]}");
        await Assertions.Expect(other).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("hidden=data%2Cannotators|hidden=data,annotators"));
        await Assertions.Expect(other.GetByRole(AriaRole.Columnheader, new() { Name = "Annotated by" })).ToHaveCountAsync(0);
        await Assertions.Expect(other.GetByRole(AriaRole.Tab, new() { Name = "Lean", Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
    }

    [Theory]
    [InlineData(390, 844)]
    [InlineData(360, 740)]
    public async Task On_a_phone_a_page_is_selected_and_acted_on_while_the_boxes_and_ids_stay_in_view(int width, int height)
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.SetViewportSizeAsync(width, height);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        // Rows stay rows (they were stacked cards, two tasks a screen): all five fit on the first screen.
        foreach (var row in await page.Locator("tr.task-row").AllAsync())
        {
            await Assertions.Expect(row).ToBeInViewportAsync();
        }
        // The page itself does not scroll sideways; the grid does, under its pinned boxes and IDs.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await page.Locator(".task-grid .mud-table-container").EvaluateAsync("e => e.scrollLeft = e.scrollWidth");
        var grid = await page.Locator(".task-grid .mud-table-container").BoundingBoxAsync();
        var box = await page.Locator("tr.task-row td.pin-select").First.BoundingBoxAsync();
        var id = await page.Locator("tr.task-row td.pin-id").First.BoundingBoxAsync();
        var idHeader = await page.Locator("thead th.pin-id").BoundingBoxAsync();
        Assert.InRange(box!.X - grid!.X, -1, 1);
        Assert.InRange(id!.X - (box.X + box.Width), -1, 1);
        Assert.InRange(idHeader!.X - id.X, -1, 1);
        Assert.True(await page.EvaluateAsync<bool>("p => !!document.elementFromPoint(p.x, p.y)?.closest('th.pin-id')",
            new { x = (double)(idHeader.X + idHeader.Width / 2), y = (double)(idHeader.Y + idHeader.Height / 2) }), "The ID header is under the scrolled header cells.");
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Updated" })).ToBeInViewportAsync();
        await BrowserApp.ScreenshotAsync(page, $"data-manager-phone-{width}-scrolled");

        await page.GetByLabel("Select this page").ClickAsync();
        await Assertions.Expect(page.GetByTestId("selected-count")).ToHaveTextAsync("5 selected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        var delete = page.GetByRole(AriaRole.Menuitem, new() { Name = "Delete Ground Truths" });
        await Assertions.Expect(delete).ToBeInViewportAsync();
        await BrowserApp.ScreenshotAsync(page, $"data-manager-phone-{width}-actions");
        await delete.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Remove the ground truth from 1 of the 5 selected tasks");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Deleted the ground truth of 1 tasks");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Ground truth" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_columns_a_user_hid_moved_and_sized_stay_so_in_this_project_after_a_reload()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Completed" })).ToHaveCountAsync(0);

        // Hide Data, show Completed, move Annotations before Data and Accuracy: the grid behind the dialog follows each at once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Data", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(0);
        await dialog.GetByLabel("Completed", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Completed" })).ToHaveCountAsync(1);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Move Annotations up" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Move Annotations up" }).ClickAsync();
        await Assertions.Expect(dialog.Locator("li").First).ToContainTextAsync("Annotations");
        await BrowserApp.ScreenshotAsync(page, "data-manager-columns-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.Equal(["ID", "Ground Truth", "Agreement", "Annotations", "Accuracy"], (await HeadersAsync(page)).Take(5));

        // Drag the Annotations column's right edge 150 px to the right.
        var header = page.Locator("thead th.col-total_annotations");
        var before = (await header.BoundingBoxAsync())!;
        var edge = (await header.Locator(".col-resizer").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(edge.X + edge.Width / 2, edge.Y + edge.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(edge.X + edge.Width / 2 + 75, edge.Y + edge.Height / 2, new() { Steps = 3 });
        await page.Mouse.MoveAsync(edge.X + edge.Width / 2 + 150, edge.Y + edge.Height / 2, new() { Steps = 3 });
        await page.Mouse.UpAsync();
        var widened = (await header.BoundingBoxAsync())!.Width;
        Assert.InRange(widened, before.Width + 140, before.Width + 160);
        // Its cells follow the header, and sorting did not start from the drag.
        Assert.InRange((await page.Locator("tr.task-row td.col-total_annotations").First.BoundingBoxAsync())!.Width, widened - 1, widened + 1);
        Assert.DoesNotContain("sort=", page.Url, StringComparison.Ordinal);
        await BrowserApp.ScreenshotAsync(page, "data-manager-column-sized");

        await page.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Completed" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(0);
        Assert.Equal(["ID", "Ground Truth", "Agreement", "Annotations", "Accuracy"], (await HeadersAsync(page)).Take(5));
        Assert.InRange((await header.BoundingBoxAsync())!.Width, widened - 1, widened + 1);
        Assert.Equal("data,inner_id,predictions_score", await page.EvaluateAsync<string>($"() => localStorage.getItem('groundtruth.columns.{_project}.hidden')"));

        // Reset: the registry's columns, order and widths again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        Assert.Equal(["ID", "Ground Truth", "Agreement", "Accuracy", "Data"], (await HeadersAsync(page)).Take(5));
        // Reset also replaces the grid (a new key), so the header is polled until the new one has the registry's width: CI
        // once measured at a moment when no header was visible (a null box).
        await page.WaitForFunctionAsync(
            "w => { const h = document.querySelector('thead th.col-total_annotations'); return h !== null && Math.abs(h.getBoundingClientRect().width - w) <= 1; }",
            (double)before.Width /* Playwright passes a float as an empty object */, new() { Timeout = 10_000 });
    }

    private static async Task<List<string>> HeadersAsync(IPage page) =>
        [.. (await page.Locator("thead th").AllInnerTextsAsync()).Select(t => t.Trim()).Where(t => t.Length > 0)];

    [Fact]
    public async Task A_column_is_sized_from_the_keyboard_on_its_header()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("thead .col-resizer").First).ToBeAttachedAsync();
        var data = page.Locator("thead th.col-data");
        var before = (await data.BoundingBoxAsync())!.Width;

        // The arrows walk the header to Data, which does not sort but takes the focus all the same.
        await page.GetByLabel("Select this page").FocusAsync();
        for (var i = 0; i < 12 && !await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('th.col-data')"); i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        Assert.Equal("Shift+ArrowLeft Shift+ArrowRight", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-keyshortcuts')"));

        // Three presses narrow it by 48 px, one widens it by 16; the focus stays on Data and nothing sorts.
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Shift+ArrowLeft");
        }
        await page.Keyboard.PressAsync("Shift+ArrowRight");
        var sized = (await data.BoundingBoxAsync())!.Width;
        Assert.InRange(sized, before - 33, before - 31);
        Assert.InRange((await page.Locator("tr.task-row td.col-data").First.BoundingBoxAsync())!.Width, sized - 1, sized + 1);
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('th.col-data')"));
        Assert.DoesNotContain("sort=", page.Url, StringComparison.Ordinal);
        await BrowserApp.ScreenshotAsync(page, "data-manager-column-sized-by-keyboard");

        await page.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("thead .col-resizer").First).ToBeAttachedAsync();
        Assert.InRange((await data.BoundingBoxAsync())!.Width, sized - 1, sized + 1);
    }

    [Fact]
    public async Task The_grid_header_is_one_tab_stop_whose_sort_buttons_the_arrows_walk()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(5);
        var selectPage = page.GetByLabel("Select this page");
        var firstRow = page.Locator("tr.task-row").First.GetByRole(AriaRole.Checkbox);
        // The arrows are the grid's script, loaded after the circuit is interactive; its column edges say it has run.
        await Assertions.Expect(page.Locator("thead .col-resizer").First).ToBeAttachedAsync();

        // One Tab from the header reaches the first row (it used to walk every column's sort button first), one back returns.
        await selectPage.FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(firstRow).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await Assertions.Expect(selectPage).ToBeFocusedAsync();

        // → moves to the ID column's sort button; Enter sorts by it; the header's Tab stop stays there.
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('th.pin-id')"));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=id"));
        await firstRow.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('th.pin-id')"));
    }
}
