using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>Each role signs in with real Chromium and sees only what it may do; hiding is checked against the server too.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RoleBrowserTests : IAsyncLifetime
{
    private const string Password = "Password-1234";
    private BrowserApp _app = null!;
    private AccessWorld _world = null!;

    public async Task InitializeAsync()
    {
        _app = await BrowserApp.StartAsync();
        _world = await AccessWorld.CreateAsync(_app.Factory);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("annotator", false, false)]
    [InlineData("reviewer", false, false)]
    [InlineData("manager", true, false)]
    [InlineData("administrator", true, true)]
    public async Task Each_role_sees_only_what_it_may_do(string role, bool createsProjects, bool managesUsers)
    {
        var email = role == "administrator" ? ApiFactory.AdminEmail : $"{role}@test.local";
        var page = await _app.SignInAsync(email, role == "administrator" ? ApiFactory.AdminPassword : Password);

        var titles = await page.GetByTestId("project-title").AllInnerTextsAsync();
        Assert.Contains("A", titles);
        Assert.Equal(role == "administrator", titles.Contains("B"));
        Assert.Equal(createsProjects, await page.GetByRole(AriaRole.Button, new() { Name = "New project" }).IsVisibleAsync());
        Assert.Equal(managesUsers, await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).IsVisibleAsync());
        await BrowserApp.ScreenshotAsync(page, $"home-{role}");

        await page.GotoAsync("/account");
        await Assertions.Expect(page.GetByTestId("role")).ToHaveTextAsync(char.ToUpperInvariant(role[0]) + role[1..]);

        await page.GotoAsync("/users");
        if (managesUsers)
        {
            await Assertions.Expect(page.GetByTestId("users")).ToContainTextAsync("annotator@test.local");
        }
        else
        {
            await Assertions.Expect(page.GetByText("Your role does not give access to this page.")).ToBeVisibleAsync();
        }
        await BrowserApp.ScreenshotAsync(page, $"users-{role}");
    }

    [Fact]
    public async Task The_api_reference_page_lists_the_endpoints()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.GotoAsync("/reference");
        // Rendered in the page from /openapi/v1.json: the document's title, its first operations, and the tags down the side.
        await Assertions.Expect(page.GetByText("GroundTruth.Web | v1").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByText("/api/dm/actions").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Predictions").First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "api-reference");
    }

    [Fact]
    public async Task An_annotators_forged_request_from_the_browser_is_refused_and_changes_nothing()
    {
        var page = await _app.SignInAsync("annotator@test.local", Password);
        var before = await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}");

        var status = await page.EvaluateAsync<int>(
            "async id => (await fetch(`/api/annotations/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ground_truth: true }) })).status",
            _world.AnnotationA);

        Assert.Equal(403, status);
        Assert.Equal(before, await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}"));
        Assert.Equal("[]", await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}/ground-truth-history"));
    }

    [Fact]
    public async Task A_manager_creates_a_project_and_markup_in_its_title_stays_text()
    {
        const string hostile = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>";
        var page = await _app.SignInAsync("manager@test.local", Password);

        await page.GetByLabel("New project title").FillAsync(hostile);
        await page.GetByRole(AriaRole.Button, new() { Name = "New project" }).ClickAsync();

        await Assertions.Expect(page.GetByTestId("project-title").Filter(new() { HasText = "onerror" })).ToHaveTextAsync(hostile);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("project-title").Filter(new() { HasText = "onerror" })).ToHaveTextAsync(hostile);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__xss ?? null"));
        await BrowserApp.ScreenshotAsync(page, "xss-project-title");
    }

    [Fact]
    public async Task A_token_made_on_the_account_page_works_until_revoked_there()
    {
        var page = await _app.SignInAsync("reviewer@test.local", Password);
        await page.GotoAsync("/account");
        await BrowserApp.WaitInteractiveAsync(page);

        await page.GetByLabel("Token name").FillAsync("my script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        var key = (await page.GetByTestId("new-token").InnerTextAsync()).Trim();
        await BrowserApp.ScreenshotAsync(page, "account-token-created");

        using var script = _app.Factory.CreateClient();
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Token", key);
        var me = JsonNode.Parse(await script.GetStringAsync("/api/account"))!;
        Assert.Equal("reviewer@test.local", me["email"]!.GetValue<string>());

        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "my script" }).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "my script" })).ToContainTextAsync("revoked");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await script.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await _app.SignInAsync("annotator@test.local", Password);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/account/login");

        var status = await page.EvaluateAsync<int>("async () => (await fetch('/api/account')).status");
        Assert.Equal(401, status);
    }
}
