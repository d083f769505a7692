using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.ImportExport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GroundTruth.Benchmarks;

/// <summary>
/// The Data Manager as a user feels it: the app (Release) runs on a benchmark database and Debian's Chromium drives it.
/// Each figure is the time from the click (or hover) to the new rows (or the popover) in the DOM and one animation
/// frame later, measured in the page with a MutationObserver, so Playwright's polling adds nothing.
/// </summary>
internal static partial class BrowserBenchmark
{
    private const string Email = "bench@bench.local";
    private const string Password = "Bench-password-1";

    public static async Task RunAsync(string database, int runs, bool bulk)
    {
        long project;
        int tasks;
        await using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT p.id, (SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id) FROM projects p ORDER BY 2 DESC LIMIT 1";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            (project, tasks) = (reader.GetInt64(0), reader.GetInt32(1));
        }

        var heavy = await HeavyTaskAsync(database, project);
        using var app = AppProcess.Start(database, new Dictionary<string, string> { ["GroundTruth__Admin__Email"] = Email, ["GroundTruth__Admin__Password"] = Password }, out var baseUrl);
        try
        {
            await DriveAsync(baseUrl, project, tasks, runs, bulk, heavy);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
        }
    }

    private static async Task DriveAsync(string baseUrl, long project, int tasks, int runs, bool bulk, long heavy)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var (_, page) = await Chromium.SignInAsync(browser, baseUrl, Email, Password, 1280, 900);

        var data = $"/projects/{project}/data";
        Console.WriteLine($"| browser ({tasks:N0} tasks, Chromium, medians of {runs}) | median | target |");
        Console.WriteLine("|---|---:|---:|");

        await OpenAsync(page, data);
        var next = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            next.Add(await RowsChangeAfterAsync(page, "document.querySelector('[aria-label=\"Next page\"]').click()"));
        }
        Row("next page → rows painted", next, "≤ 300 ms");

        await OpenAsync(page, data);
        var sorts = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            // Each click moves the Agreement column's order on: ascending, descending, none.
            sorts.Add(await RowsChangeAfterAsync(page, "[...document.querySelectorAll('th .sortable-column-header')].find(e => e.textContent.includes('Agreement')).click()"));
        }
        Row("sort by agreement → rows painted", sorts, "≤ 300 ms");

        var filters = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            await OpenAsync(page, data + (i % 2 == 0 ? "?gt=no" : "?gt=yes"));
            filters.Add(await RowsChangeAfterAsync(page,
                $"Blazor.navigateTo('{data}?gt={(i % 2 == 0 ? "yes" : "no")}')"));
        }
        Row("ground truth filter yes ↔ no → rows painted", filters, "≤ 300 ms");

        var builder = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            await OpenAsync(page, data);
            var filter = Uri.EscapeDataString(JsonSerializer.Serialize(new
            {
                conjunction = "and",
                items = new[] { new { filter = "filter:tasks:total_annotations", @operator = "greater_or_equal", type = "Number", value = 1 + (i % 2) } },
            }));
            builder.Add(await RowsChangeAfterAsync(page, $"Blazor.navigateTo('{data}?filters={filter}&sort={(i % 2 == 0 ? "-" : "")}agreement')"));
        }
        Row("filter annotations ≥ n, by agreement → rows painted", builder, "≤ 300 ms");

        await OpenAsync(page, data);
        var popovers = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            popovers.Add(await page.EvaluateAsync<double>("""
                (i) => new Promise(resolve => {
                    const cells = document.querySelectorAll('.agreement-cell');
                    const cell = cells[i % cells.length];
                    const start = performance.now();
                    const observer = new MutationObserver(() => {
                        if (document.querySelector('[data-testid=agreement-popover] table')) {
                            observer.disconnect();
                            requestAnimationFrame(() => resolve(performance.now() - start));
                        }
                    });
                    observer.observe(document.body, { childList: true, subtree: true });
                    cell.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
                })
                """, i));
            await page.EvaluateAsync("(i) => document.querySelectorAll('.agreement-cell')[i % document.querySelectorAll('.agreement-cell').length].dispatchEvent(new FocusEvent('focusout', { bubbles: true }))", i);
            await page.Locator("[data-testid=agreement-popover]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        }
        Row("agreement popover (first open of a task) → painted", popovers, "≤ 150 ms");

        await ReviewAsync(page, project, heavy, runs);

        if (bulk)
        {
            await BulkAsync(page, data, tasks);
        }
    }

    /// <summary>The review page: a star click until its aria-pressed flips, and a task of 20 annotations × 50 regions drawn.</summary>
    private static async Task ReviewAsync(IPage page, long project, long heavy, int runs)
    {
        var light = heavy - 1;
        await page.GotoAsync($"/projects/{project}/tasks/{light}");
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.GetByTestId("annotation-card").First.WaitForAsync();
        var stars = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            stars.Add(await page.EvaluateAsync<double>("""
                (i) => new Promise(resolve => {
                    const buttons = [...document.querySelectorAll('button[aria-label="Ground truth"]')];
                    const button = buttons[i % buttons.length];
                    const before = button.getAttribute('aria-pressed');
                    const start = performance.now();
                    const observer = new MutationObserver(() => {
                        const now = [...document.querySelectorAll('button[aria-label="Ground truth"]')][i % buttons.length];
                        if (now.getAttribute('aria-pressed') !== before) {
                            observer.disconnect();
                            requestAnimationFrame(() => resolve(performance.now() - start));
                        }
                    });
                    observer.observe(document.body, { attributes: true, childList: true, subtree: true });
                    button.click();
                })
                """, i));
        }
        Row("review: star click → saved and repainted", stars, "≤ 100 ms");

        var renders = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            renders.Add(await page.EvaluateAsync<double>($$"""
                () => new Promise(resolve => {
                    const start = performance.now();
                    const done = () => document.querySelectorAll('[data-testid=annotation-card]').length === 20
                        && document.querySelectorAll('[data-testid=annotation-card] [data-region], [data-testid=annotation-card] mark.span').length >= 1000;
                    const observer = new MutationObserver(() => {
                        if (done()) {
                            observer.disconnect();
                            requestAnimationFrame(() => resolve(performance.now() - start));
                        }
                    });
                    observer.observe(document.body, { childList: true, subtree: true });
                    Blazor.navigateTo('/projects/{{project}}/tasks/{{heavy}}');
                })
                """));
            await page.EvaluateAsync($"() => Blazor.navigateTo('/projects/{project}/tasks/{light}')");
            await page.WaitForURLAsync($"**/tasks/{light}");
            await page.GetByTestId("annotation-card").First.WaitForAsync();
        }
        Row("review: task with 20 annotations × 50 regions → drawn", renders, "≤ 300 ms");
    }

    /// <summary>
    /// A task with 20 annotations of 50 regions each (25 spans over a long text, 25 boxes over an image), imported once
    /// into the benchmark project; its id.
    /// </summary>
    private static async Task<long> HeavyTaskAsync(string database, long project)
    {
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            await connection.OpenAsync();
            await using var find = connection.CreateCommand();
            find.CommandText = "SELECT id FROM tasks WHERE project_id = $p AND json_extract(data, '$.bench') = 'heavy'";
            find.Parameters.AddWithValue("$p", project);
            if (await find.ExecuteScalarAsync() is long existing)
            {
                return existing;
            }
        }
        var text = string.Concat(Enumerable.Range(0, 250).Select(i => $"Word{i:000} "));
        var annotations = Enumerable.Range(0, 20).Select(a => new
        {
            completed_by = new { email = $"heavy{a}@bench.local" },
            result = Enumerable.Range(0, 25).Select(r => (object)new
            {
                id = $"s{r}",
                from_name = "label",
                to_name = "text",
                type = "labels",
                value = new { start = (r * 80) + (a % 3), end = (r * 80) + 40 + (a % 5), labels = new[] { r % 2 == 0 ? "Person" : "Place" } },
            }).Concat(Enumerable.Range(0, 25).Select(r => (object)new
            {
                id = $"b{r}",
                from_name = "box",
                to_name = "image",
                type = "rectanglelabels",
                original_width = 640,
                original_height = 480,
                value = new { x = (r % 5 * 19) + (a % 3), y = (r / 5 * 19) + (a % 2), width = 15, height = 15, rotation = a % 4 * 10, rectanglelabels = new[] { r % 3 == 0 ? "Car" : "Tree" } },
            })).ToArray(),
        }).ToArray();
        var json = JsonSerializer.Serialize(new[] { new { data = new { text, image = "/demo/images/1.svg", bench = "heavy" }, annotations } });
        await using var services = new ServiceCollection().AddLogging().AddGroundTruthCore($"Data Source={database}").BuildServiceProvider();
        await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        // An import is a job: started here and run here, as no app runs its jobs yet.
        await services.GetRequiredService<LabelStudioImporter>().StartAsync(Actor.System, project, stream);
        await services.GetRequiredService<GroundTruth.Core.Jobs.JobRunner>().RunPendingAsync();
        return await HeavyTaskAsync(database, project);
    }

    /// <summary>Set Ground Truths on every task, while paging the grid; reports the total time and the paging meanwhile.</summary>
    private static async Task BulkAsync(IPage page, string data, int tasks)
    {
        await OpenAsync(page, data);
        await page.GetByLabel("Select this page").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = SelectAll() }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Actions" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Set Ground Truths" }).ClickAsync();
        var watch = Stopwatch.StartNew();
        await page.GetByTestId("annotator").First.ClickAsync(new() { Timeout = 120_000 });
        await page.GetByTestId("dry-run").WaitForAsync(new() { Timeout = 120_000 });
        var preview = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await page.GetByTestId("action-progress").WaitForAsync();
        var meanwhile = new List<double>();
        while (await page.GetByTestId("action-progress").CountAsync() > 0 && meanwhile.Count < 20)
        {
            meanwhile.Add(await RowsChangeAfterAsync(page, "document.querySelector('[aria-label=\"Next page\"]').click()"));
        }
        await page.Locator(".mud-snackbar").WaitForAsync(new() { Timeout = 600_000 });
        Console.WriteLine($"| Set Ground Truths, all {tasks:N0} tasks: dialog (summary + dry run) | {preview:0.0} s | |");
        Console.WriteLine($"| Set Ground Truths, all {tasks:N0} tasks: apply → snackbar | {watch.Elapsed.TotalSeconds:0.0} s | progress shown |");
        Row($"next page while it runs ({meanwhile.Count} pages)", meanwhile, "usable");
    }

    [GeneratedRegex(@"Select all [\d,]+ tasks matching the filter")]
    private static partial Regex SelectAll();

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await page.Locator("tr.task-row").First.WaitForAsync(new() { Timeout = 60_000 });
    }

    /// <summary>Runs <paramref name="action"/> in the page and waits for the grid's rows to differ, loading done, one frame later.</summary>
    private static Task<double> RowsChangeAfterAsync(IPage page, string action) => page.EvaluateAsync<double>($$"""
        () => new Promise(resolve => {
            const rows = () => [...document.querySelectorAll('tr.task-row')].map(r => r.innerText).join('\n');
            const before = rows();
            const start = performance.now();
            // A new grid starts empty; the rows count only once they are there.
            const done = () => rows() !== before && rows() !== '' && !document.querySelector('.mud-table-loading');
            setTimeout(() => resolve(NaN), 30000);
            const observer = new MutationObserver(() => {
                if (done()) {
                    observer.disconnect();
                    requestAnimationFrame(() => resolve(performance.now() - start));
                }
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            {{action}};
        })
        """);

    private static void Row(string name, List<double> times, string target) =>
        Console.WriteLine($"| {name} | {Measure.Median(times).ToString("0", CultureInfo.InvariantCulture)} ms | {target} |");
}
