using Deque.AxeCore.Playwright;
using GroundTruth.Tests.Support;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>
/// Every page, and the Data Manager with its popover and its dialogs open, scanned by axe (Deque.AxeCore.Playwright) in
/// light and dark at desktop and phone size: no serious or critical violation. Each state is also photographed, so the
/// screenshots folder holds every page at both sizes in both themes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests : IAsyncLifetime
{
    private BrowserApp _app = null!;
    private long _project;
    private long _task;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        static string Box(string id, double x, string label) => Fixtures.Box(id, x, label);
        _project = await _app.Factory.CreateProjectAsync("Street scenes", $$"""
            [{"data": {"image": "/demo/images/3.svg"}, "annotations": [
              {"completed_by": {"email": "ann@x.org"}, "ground_truth": true, "result": [{{Box("g1", 5, "Car")}}, {{Box("g2", 40, "Person")}}]},
              {"completed_by": {"email": "bob@x.org"}, "result": [{{Box("o1", 6, "Car")}}, {{Box("o2", 41, "Truck")}}]}],
             "predictions": [{"model_version": "v1", "score": 0.8, "result": [{{Box("p1", 5, "Car")}}]}]},
             {"data": {"image": "/demo/images/4.svg"}, "annotations": [
              {"completed_by": {"email": "ann@x.org"}, "result": [{{Box("a1", 5, "Car")}}]},
              {"completed_by": {"email": "bob@x.org"}, "result": [{{Box("b1", 5, "Car")}}]}]}]
            """);
        _task = await _app.Factory.FirstTaskAsync(_project);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("light", 1280, 800)]
    [InlineData("light", 390, 844)]
    [InlineData("dark", 1280, 800)]
    [InlineData("dark", 390, 844)]
    public async Task Every_page_passes_axe_without_a_serious_or_critical_violation(string theme, int width, int height)
    {
        var scheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light;
        var size = width < 600 ? "phone" : "desktop";
        var problems = new List<string>();
        async Task ScanAsync(IPage page, string state)
        {
            // Transitions (menus, popovers, the theme's colours) settle first: axe reads the colours as they are drawn.
            await page.WaitForTimeoutAsync(300);
            var result = await page.RunAxe();
            problems.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v =>
                $"{state}: {v.Id} ({v.Impact}) {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
            // Nothing pushes the page wider than the screen (tables scroll inside their own regions).
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1])
            {
                problems.Add($"{state}: the page is {widths[0]} px wide on a {widths[1]} px screen.");
            }
            await BrowserApp.ScreenshotAsync(page, $"a11y-{state}-{size}-{theme}");
        }

        var signedOut = await _app.NewPageAsync(width, height, scheme);
        await signedOut.GotoAsync("/account/login");
        await ScanAsync(signedOut, "sign-in");

        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword, width, height, scheme);
        // The theme really is the one asked for (the dark one arrives with the first interactive render).
        const string IsDark = """
            () => {
                const background = getComputedStyle(document.documentElement).getPropertyValue('--mud-palette-background').trim().toLowerCase();
                return !background.startsWith('rgba(255,255,255') && !background.startsWith('#fff');
            }
            """;
        if (scheme == ColorScheme.Dark)
        {
            await page.WaitForFunctionAsync(IsDark);
        }
        else
        {
            Assert.False(await page.EvaluateAsync<bool>(IsDark));
        }
        await ScanAsync(page, "home");

        await page.GotoAsync($"/projects/{_project}/data");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("preview")).ToHaveCountAsync(2);
        await ScanAsync(page, "data-manager");

        await page.Locator(".agreement-cell").First.FocusAsync();
        await Assertions.Expect(page.GetByTestId("agreement-popover")).ToBeVisibleAsync();
        await ScanAsync(page, "agreement-popover");
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("body").FocusAsync();

        await page.GetByLabel("Select this page").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Set Ground Truths" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("set-ground-truths-dialog")).ToBeVisibleAsync();
        await ScanAsync(page, "set-ground-truths-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("set-ground-truths-dialog")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Columns" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("columns-dialog")).ToBeVisibleAsync();
        await ScanAsync(page, "columns-dialog");
        await page.Keyboard.PressAsync("Escape");

        await page.GotoAsync($"/projects/{_project}/tasks/{_task}");
        await BrowserApp.WaitInteractiveAsync(page);
        await Assertions.Expect(page.GetByTestId("annotation-card")).ToHaveCountAsync(2);
        await ScanAsync(page, "review");

        await page.GetByRole(AriaRole.Button, new() { Name = "Compare with ground truth" }).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("compare")).ToBeVisibleAsync();
        await ScanAsync(page, "compare");

        foreach (var (path, state) in new[] { ("/account", "account"), ("/users", "users"), ("/no/such/page", "not-found") })
        {
            await page.GotoAsync(path);
            await BrowserApp.WaitInteractiveAsync(page);
            await ScanAsync(page, state);
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
