using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using GroundTruth.Web.Components;
using GroundTruth.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Support;

/// <summary>
/// After any write, accepted or refused, every list, endpoint and page a user can open on a project still works: each
/// answers 200 with JSON that parses (the export as a whole), and each page renders without an exception.
/// </summary>
public static class EverythingReads
{
    /// <summary>Registers the app's Core services (from its container) and page services in a bUnit context.</summary>
    public static void AddAppServices(BunitContext context, IServiceProvider app)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        context.Services.AddScoped<PageErrors>();
        foreach (var service in new[] { typeof(ProjectService), typeof(TaskQueryService), typeof(GroundTruth.Core.Tasks.SavedViewService), typeof(GroundTruthService), typeof(ScoreStatisticsService), typeof(IGroundTruthNotifier), typeof(GroundTruth.Core.Jobs.JobService) })
        {
            context.Services.AddSingleton(service, app.GetRequiredService(service));
        }
    }

    /// <summary>
    /// Renders as the app's circuits do, interactively (the grid reads its rows only then, not while prerendered). Call
    /// once every service is registered: it starts the renderer.
    /// </summary>
    public static void RenderInteractively(BunitContext context) =>
        context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));

    /// <summary>Every API read of the project and of each of its tasks; returns the task ids.</summary>
    public static async Task<IReadOnlyList<long>> AssertApiAsync(HttpClient client, long project)
    {
        async Task<JsonNode?> Get(string url)
        {
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body}");
            return JsonNode.Parse(body);
        }

        await Get("/api/projects");
        await Get($"/api/projects/{project}");
        await Get($"/api/projects/{project}/members");
        await Get($"/api/projects/{project}/scoring-settings");
        await Get($"/api/projects/{project}/stats/agreement-groundtruth");
        await Get($"/api/projects/{project}/stats/agreement-groundtruth?per_label=true");
        await Get($"/api/projects/{project}/stats/agreement_annotators");
        await Get($"/api/projects/{project}/stats/IAA?std=true");
        await Get($"/api/projects/{project}/analytics/data-quality/agreement-analysis/confusion-matrix");
        await Get($"/api/projects/{project}/analytics/data-quality/agreement-analysis/distribution");
        var exported = (await Get($"/api/projects/{project}/export"))!.AsArray();
        var page = (await Get($"/api/tasks?project={project}&page_size=1000"))!;
        var ids = page["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(page["total"]!.GetValue<int>(), ids.Count);
        Assert.Equal(ids.Count, exported.Count);

        var controls = new HashSet<string>(StringComparer.Ordinal);
        var models = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var task = (await Get($"/api/tasks/{id}"))!;
            await Get($"/api/tasks/{id}/ground-truth-history");
            await Get($"/api/projects/{project}/tasks/{id}/agreement-matrix");
            foreach (var item in task["annotations"]!.AsArray().Concat(task["predictions"]!.AsArray()).SelectMany(a => a!["result"]!.AsArray()))
            {
                if (item?["from_name"] is JsonValue name && name.TryGetValue<string>(out var fromName))
                {
                    controls.Add(fromName);
                }
            }
            models.UnionWith(task["predictions"]!.AsArray().Select(p => p!["model_version"]!.GetValue<string>()));
        }
        foreach (var control in controls)
        {
            await Get($"/api/projects/{project}/stats/reliability?from_name={Uri.EscapeDataString(control)}");
            await Get($"/api/projects/{project}/analytics/data-quality/agreement-analysis/confusion-matrix?from_name={Uri.EscapeDataString(control)}&mode=ground_truth");
        }
        foreach (var model in models)
        {
            await Get($"/api/projects/{project}/model-stats/{Uri.EscapeDataString(model)}/agreement-groundtruth");
            await Get($"/api/projects/{project}/model-stats/{Uri.EscapeDataString(model)}/prediction");
        }
        return ids;
    }

    /// <summary>The projects page, the project's Data Manager (first page of rows) and every task's review page, rendered as <paramref name="actor"/>.</summary>
    public static async Task AssertPagesAsync(IServiceProvider app, Actor actor, long project, IReadOnlyList<long> taskIds)
    {
        await using var context = new BunitContext();
        AddAppServices(context, app);
        var authorization = context.AddAuthorization();
        authorization.SetAuthorized(actor.Email);
        authorization.SetRoles(actor.Role.ToString());
        authorization.SetClaims(
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Email, actor.Email));
        RenderInteractively(context);
        context.Render<MudPopoverProvider>();
        var navigation = context.Services.GetRequiredService<NavigationManager>();

        var home = context.Render<Home>();
        home.WaitForAssertion(() => Assert.NotEmpty(home.FindAll("[data-testid=project-title]")));

        navigation.NavigateTo($"/projects/{project}/data");
        var grid = context.Render<DataManager>(p => p.Add(x => x.ProjectId, project));
        grid.WaitForAssertion(() => Assert.Equal(Math.Min(taskIds.Count, 50), grid.FindAll("[data-testid=preview]").Count));
        Assert.Empty(grid.FindAll("[data-testid=query-error]"));

        foreach (var id in taskIds)
        {
            navigation.NavigateTo($"/projects/{project}/tasks/{id}");
            var review = context.Render<Review>(p => p.Add(x => x.ProjectId, project).Add(x => x.TaskId, id));
            review.WaitForAssertion(() => Assert.NotEmpty(review.FindAll("[data-testid=task-data]")));
        }
    }

    /// <summary>The administrator of an <see cref="ApiFactory"/> app, as Core sees them.</summary>
    public static async Task<Actor> AdministratorAsync(IServiceProvider app)
    {
        using var scope = app.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var admin = (await accounts.ListUsersAsync(Actor.System)).Single(u => u.Email == ApiFactory.AdminEmail);
        return (await accounts.ActorAsync(admin.Id))!;
    }

    /// <summary>Parses an API answer, failing the test with its body when it is not the expected status.</summary>
    public static async Task<JsonNode> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body.Length == 0 ? "null" : body) ?? JsonValue.Create(0);
    }
}
