using System.Runtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GroundTruth.Benchmarks;

/// <summary>
/// What an open page costs the server: the app runs in this process (on a fresh SQLite file with the demo), Chromium
/// opens many Data Manager grids, then many review pages, each its own Blazor circuit, and the managed heap after a
/// forced, compacting GC is compared with the heap before they opened. Idle pages: nothing is clicked after they load.
/// </summary>
internal static class MemoryBenchmark
{
    private const string Email = "bench@bench.local";
    private const string Password = "Bench-password-1";

    public static async Task RunAsync(int pages)
    {
        var folder = Directory.CreateTempSubdirectory("groundtruth-memory-");
        await using var app = new App(Path.Combine(folder.FullName, "memory.db"));
        var baseUrl = app.Start();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var (context, home) = await Chromium.SignInAsync(browser, baseUrl, Email, Password, 1280, 800);
        var grid = await home.GetByTestId("project-title").First.GetAttributeAsync("href") ?? throw new InvalidOperationException("No demo project.");
        await home.GotoAsync(grid);
        await home.Locator("tr.task-row").First.WaitForAsync();
        await home.Locator("tr.task-row").First.ClickAsync();
        await home.Locator("[data-testid=annotation-card]").First.WaitForAsync();
        var review = new Uri(home.Url).PathAndQuery;

        Console.WriteLine($"| open page (idle, after a forced GC; {pages} of each open at once) | managed heap per page | target |");
        Console.WriteLine("|---|---:|---:|");
        var project = grid.Split('/')[2];
        // Every column a user can hide, hidden: what the grid costs without them.
        var hideAll = string.Join(',', GroundTruth.Core.Tasks.TaskColumns.InGrid.Where(c => c.Grid != GroundTruth.Core.Tasks.GridPlacement.Pinned).Select(c => c.Name));
        foreach (var (name, path, hidden, ready, target) in new[]
        {
            ("Data Manager grid (50 rows)", grid, "", "tr.task-row", "≤ 1 MB"),
            ("Data Manager grid (25 rows)", grid + "?size=25", "", "tr.task-row", "—"),
            ("Data Manager grid (50 rows, only the pinned columns)", grid, hideAll, "tr.task-row", "—"),
            ("review page", review, "", "[data-testid=annotation-card]", "—"),
        })
        {
            // "" leaves the columns as a new user sees them.
            await home.EvaluateAsync(hidden.Length == 0 ? $"() => localStorage.removeItem('groundtruth.columns.{project}.hidden')"
                : $"() => localStorage.setItem('groundtruth.columns.{project}.hidden', '{hidden}')");
            var before = Heap();
            var open = new List<IPage>();
            for (var i = 0; i < pages; i++)
            {
                var page = await context.NewPageAsync();
                await page.GotoAsync(path);
                await page.Locator(ready).First.WaitForAsync();
                await page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                open.Add(page);
            }
            // Let the circuits settle (first renders, JS interop replies), then measure what they hold.
            await Task.Delay(2000);
            var after = Heap();
            Console.WriteLine($"| {name} | {(after - before) / pages / 1024.0:N0} KB | {target} |");
            foreach (var page in open)
            {
                await page.CloseAsync();
            }
            // A closed page's circuit is kept for reconnection a while (DisconnectedCircuitRetentionPeriod); the next
            // kind of page starts from a heap without them.
            await Task.Delay(1000);
        }
    }

    /// <summary>The managed heap after a full, compacting, blocking collection.</summary>
    private static long Heap()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The web app on Kestrel in this process, on a SQLite file seeded with the demo (any type of the web assembly names it).</summary>
    private sealed class App(string database) : WebApplicationFactory<GroundTruth.Web.Components.PageErrors>
    {
        public string Start()
        {
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
            StartServer();
            return Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Development, as the tests run it: static web assets are served from the projects' build output.
            builder.UseEnvironment("Development");
            builder.UseSetting("GroundTruth:Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:GroundTruth", $"Data Source={database}");
            builder.UseSetting("GroundTruth:SeedDemoData", "true");
            builder.UseSetting("GroundTruth:Admin:Email", Email);
            builder.UseSetting("GroundTruth:Admin:Password", Password);
        }
    }
}
