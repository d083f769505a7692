using System.Security.Claims;
using System.Text.Json.Nodes;
using Bunit;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Components;

/// <summary>The Data Manager page rendered by bUnit over a real SQLite database.</summary>
public sealed class DataManagerPageTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly BunitContext _context = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync("Birds");
        await _db.ImportAsync(_project, new JsonArray(
            new JsonObject { ["data"] = new JsonObject { ["text"] = "agreed" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", groundTruth: true), Fixtures.Annotation("b@x.org", "A")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "split" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A"), Fixtures.Annotation("b@x.org", "B"), Fixtures.Annotation("c@x.org", "B")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "alone" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "B")) }).ToJsonString());

        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
        foreach (var service in new[] { typeof(GroundTruth.Core.Projects.ProjectService), typeof(GroundTruth.Core.Tasks.TaskQueryService) })
        {
            _context.Services.AddSingleton(service, _db.Services.GetRequiredService(service));
        }
        var authorization = _context.AddAuthorization();
        authorization.SetAuthorized("admin@test.local");
        authorization.SetRoles("Administrator");
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, "1"), new Claim(ClaimTypes.Email, "admin@test.local"));
        _context.Render<MudPopoverProvider>();
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IRenderedComponent<DataManager> Open(string query = "")
    {
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/projects/{_project}/data{query}");
        return _context.Render<DataManager>(p => p.Add(x => x.ProjectId, _project));
    }

    [Fact]
    public void Rows_show_agreement_chips_and_the_ground_truth_star()
    {
        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=preview]").Count));
        Assert.Equal(["agreed", "split", "alone"], page.FindAll("[data-testid=preview]").Select(e => e.TextContent));
        var chips = page.FindAll("[data-testid=agreement]");
        Assert.Equal(2, chips.Count);
        Assert.Contains("mud-chip-color-success", chips[0].ClassName, StringComparison.Ordinal);
        // "split": one agreeing pair of three, 33.3 % — not under 33 %, so amber.
        Assert.Contains("mud-chip-color-warning", chips[1].ClassName, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[aria-label='Ground truth']"));
        Assert.Contains("Ground Truth", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_sets_the_ground_truth_filter()
    {
        var yes = Open("?gt=yes");
        yes.WaitForAssertion(() => Assert.Equal(["agreed"], yes.FindAll("[data-testid=preview]").Select(e => e.TextContent)));

        var no = Open("?gt=no");
        no.WaitForAssertion(() => Assert.Equal(["split", "alone"], no.FindAll("[data-testid=preview]").Select(e => e.TextContent)));
    }

    [Fact]
    public void A_junk_filter_value_in_the_url_falls_back_to_any()
    {
        var page = Open("?gt=%3Cscript%3E");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=preview]").Count));
        Assert.Empty(page.FindAll("[data-testid=query-error]"));
    }

    [Fact]
    public void An_unknown_project_says_so_instead_of_crashing()
    {
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo("/projects/999/data");
        var page = _context.Render<DataManager>(p => p.Add(x => x.ProjectId, 999));
        page.WaitForAssertion(() => Assert.Contains("does not exist or you are not one of its members", page.Markup, StringComparison.Ordinal));
    }
}
