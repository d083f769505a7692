using System.Security.Claims;
using System.Text.Json.Nodes;
using Bunit;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace GroundTruth.Tests.Support;

/// <summary>
/// A bUnit context over a real SQLite database holding project "Birds": task "agreed" (a ⭐ A, b A), task "split"
/// (a A, b B, c B) and task "alone" (a B). Core services come from the database's container, as in the app.
/// </summary>
public sealed class PageWorld : IAsyncLifetime
{
    public TestDatabase Db { get; } = new();
    public BunitContext Context { get; } = new();
    public long Project { get; private set; }
    public Actor Admin { get; } = new(1, "admin@test.local", Role.Administrator);

    /// <summary>Where MudBlazor renders popovers and menus.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Project = await Db.NewProjectAsync("Birds");
        await Db.ImportAsync(Project, new JsonArray(
            new JsonObject { ["data"] = new JsonObject { ["text"] = "agreed" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", groundTruth: true), Fixtures.Annotation("b@x.org", "A")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "split" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A"), Fixtures.Annotation("b@x.org", "B"), Fixtures.Annotation("c@x.org", "B")) },
            new JsonObject { ["data"] = new JsonObject { ["text"] = "alone" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "B")) }).ToJsonString());

        EverythingReads.AddAppServices(Context, Db.Services);
        SignInAs(Admin);
        EverythingReads.RenderInteractively(Context);
        Popovers = Context.Render<MudPopoverProvider>();
    }

    public async Task DisposeAsync()
    {
        await Context.DisposeAsync();
        await Db.DisposeAsync();
    }

    private Bunit.TestDoubles.BunitAuthorizationContext? _authorization;

    public void SignInAs(Actor actor)
    {
        var authorization = _authorization ??= Context.AddAuthorization();
        authorization.SetAuthorized(actor.Email);
        authorization.SetRoles(actor.Role.ToString());
        authorization.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim(ClaimTypes.Email, actor.Email));
    }

    /// <summary>Signs in as a new account of that role who is a member of the project (others do not see it at all).</summary>
    public void SignInAsMember(Actor actor)
    {
        using (var db = Db.Context())
        {
            db.Users.Add(new User { Id = actor.UserId, UserName = actor.Email, Email = actor.Email, DisplayName = actor.Role.ToString() });
            db.ProjectMemberships.Add(new ProjectMembership { ProjectId = Project, UserId = actor.UserId });
            db.SaveChanges();
        }
        SignInAs(actor);
    }

    public string Uri => Context.Services.GetRequiredService<NavigationManager>().Uri;

    /// <summary>Renders a page after navigating to its URL, so that query parameters reach it as in the app.</summary>
    public IRenderedComponent<T> Open<T>(string url, Action<ComponentParameterCollectionBuilder<T>> parameters) where T : IComponent
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Context.Render(parameters);
    }

    /// <summary>Opens the review page of the task whose text is <paramref name="task"/> and waits for its cards.</summary>
    public async Task<IRenderedComponent<GroundTruth.Web.Components.Pages.Review>> OpenReviewAsync(string task)
    {
        var taskId = await TaskIdAsync(task);
        var page = Open<GroundTruth.Web.Components.Pages.Review>($"/projects/{Project}/tasks/{taskId}", p => p.Add(x => x.ProjectId, Project).Add(x => x.TaskId, taskId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=annotation-card]")));
        // Then its neighbours, which load after the task and re-render the page (every task here has one at least).
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button[aria-label$='task']"), b => !b.HasAttribute("disabled")));
        return page;
    }

    public async Task<long> TaskIdAsync(string text) => (await Db.TasksAsync(Project)).Single(t => t.Data.Contains($"\"{text}\"", StringComparison.Ordinal)).Id;
}
