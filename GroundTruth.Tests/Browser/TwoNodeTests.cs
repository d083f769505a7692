using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using GroundTruth.Core.Data;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GroundTruth.Tests.Browser;

/// <summary>
/// Two app nodes on one database, as behind the load balancer of <c>deploy/</c>: the test's in-process host (node A)
/// and the app as a process of its own (node B). What one node does, the other's pages see; what one node signs, the
/// other reads.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoNodeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrowserApp _app = null!;
    private AppNode _nodeB = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        _project = await _app.Factory.CreateProjectAsync("Two nodes", Fixtures.Tasks(3, "ann@x.org", "bob@x.org"));
        // Development, as `dotnet run` is: a build's output (not a publish) serves its scripts only then.
        _nodeB = AppNode.Start(_app.Factory.Store, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        await _nodeB.WaitHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        _nodeB.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_cookie_and_a_form_token_from_one_node_are_accepted_by_the_other()
    {
        // Cookies belong to a host, not a port: one client talks to both nodes as a browser behind a balancer would.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var client = new HttpClient(handler);
        var token = await BrowserSession.FormTokenAsync(client, _nodeB.BaseUrl + "/account/login");
        // The form came from node B; node A takes its antiforgery token and issues the sign-in cookie.
        var signIn = await client.PostAsync(_app.BaseUrl + "/account/login?returnUrl=%2Faccount", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = ApiFactory.AdminEmail,
            ["Input.Password"] = ApiFactory.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location?.AbsolutePath);

        var onB = await client.GetAsync(_nodeB.BaseUrl + "/api/account");
        Assert.True(onB.IsSuccessStatusCode, $"Node B refused node A's cookie: {(int)onB.StatusCode}\n{_nodeB.Output}");
        Assert.Equal(ApiFactory.AdminEmail, (await onB.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["email"]!.GetValue<string>());
    }

    [OnlyOn(DatabaseProvider.Postgres, "live updates cross nodes through PostgreSQL's LISTEN/NOTIFY; on SQLite the notifier is one process's")]
    public async Task A_star_made_through_one_node_redraws_a_review_page_open_on_the_other_within_a_second()
    {
        var (task, annotations) = await TaskAsync();
        // Signed in on node A; the cookie takes the browser to node B's review page.
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync($"{_nodeB.BaseUrl}/projects/{_project}/tasks/{task}");
        try
        {
            await BrowserApp.WaitInteractiveAsync(page);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"Node B's review page never became interactive at {page.Url}.\n{_nodeB.Output}");
        }
        var stars = page.GetByRole(AriaRole.Button, new() { Name = "Ground truth", Exact = true });
        await Assertions.Expect(stars.First).ToHaveAttributeAsync("aria-pressed", "false");

        using var admin = _app.Factory.AdminClient();
        // The first change also proves node B is listening (it starts to with its first open page).
        await StarAsync(admin, annotations[0]);
        await Assertions.Expect(stars.Nth(0)).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = 10_000 });

        var clock = Stopwatch.StartNew();
        await StarAsync(admin, annotations[1]);
        await Assertions.Expect(stars.Nth(1)).ToHaveAttributeAsync("aria-pressed", "true", new() { Timeout = 1000 });
        var redrawn = clock.Elapsed;
        await Assertions.Expect(stars.Nth(0)).ToHaveAttributeAsync("aria-pressed", "false");
        await BrowserApp.ScreenshotAsync(page, "two-nodes-review-redrawn");
        output.WriteLine($"Node B redrew {redrawn.TotalMilliseconds:F0} ms after node A saved the star.");
        Assert.True(redrawn < TimeSpan.FromSeconds(1), $"Node B's page redrew {redrawn.TotalMilliseconds:F0} ms after node A saved the star.");
    }

    private static async Task StarAsync(HttpClient admin, long annotation)
    {
        var response = await admin.PatchAsJsonAsync($"/api/annotations/{annotation}/", new { ground_truth = true });
        response.EnsureSuccessStatusCode();
    }

    private async Task<(long Task, List<long> Annotations)> TaskAsync()
    {
        await using var db = await _app.Factory.Services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
        var task = await db.Tasks.Where(t => t.ProjectId == _project && !t.Sheet!.HasGroundTruth).OrderBy(t => t.Id).Select(t => t.Id).FirstAsync();
        return (task, await db.Annotations.Where(a => a.TaskId == task).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync());
    }
}
