using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Support;

/// <summary>
/// Two projects and one user per role: annotator, reviewer and manager of project A, a manager of project B only
/// ("other"), the administrator, and anonymous. Each user has an API token and an HTTP client that sends it.
/// </summary>
public sealed class AccessWorld
{
    public static readonly string[] Roles = ["anonymous", "annotator", "reviewer", "manager", "administrator", "other"];

    public required ApiFactory Factory { get; init; }
    public required Dictionary<string, HttpClient> Clients { get; init; }
    public required Dictionary<string, Actor> Actors { get; init; }
    public long ProjectA { get; private set; }
    public long ProjectB { get; private set; }
    public long TaskA { get; private set; }
    public long AnnotationA { get; private set; }
    public long PredictionA { get; private set; }
    public long SpareUser { get; private set; }

    public static async Task<AccessWorld> CreateAsync(ApiFactory factory)
    {
        var admin = factory.AdminClient();
        var clients = new Dictionary<string, HttpClient> { ["anonymous"] = factory.CreateClient(), ["administrator"] = admin };
        var actors = new Dictionary<string, Actor>();
        using var scope = factory.Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var tokens = factory.Services.GetRequiredService<ApiTokenService>();
        var members = factory.Services.GetRequiredService<ProjectMemberService>();

        var world = new AccessWorld { Factory = factory, Clients = clients, Actors = actors };
        world.ProjectA = await CreateProjectAsync(admin, "A");
        world.ProjectB = await CreateProjectAsync(admin, "B");
        foreach (var (name, role, project) in new[] { ("annotator", Role.Annotator, world.ProjectA), ("reviewer", Role.Reviewer, world.ProjectA), ("manager", Role.Manager, world.ProjectA), ("other", Role.Manager, world.ProjectB) })
        {
            var user = await accounts.CreateUserAsync(Actor.System, $"{name}@test.local", "Password-1234", role);
            actors[name] = new Actor(user.Id, user.Email, user.Role);
            await members.AddAsync(Actor.System, project, user.Email);
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", (await tokens.CreateAsync(actors[name], "test")).Key);
            clients[name] = client;
        }
        actors["administrator"] = (await accounts.ActorAsync((await accounts.ListUsersAsync(Actor.System)).Single(u => u.Email == ApiFactory.AdminEmail).Id))!;
        world.SpareUser = (await accounts.CreateUserAsync(Actor.System, "spare@test.local", "Password-1234", Role.Annotator)).Id;

        var tasks = JsonNode.Parse(Fixtures.Tasks(3, "annotator@test.local", "reviewer@test.local"))!.AsArray();
        tasks[0]!["predictions"] = new JsonArray(new JsonObject { ["model_version"] = "v1", ["result"] = new JsonArray(Fixtures.Choice("A")) });
        var import = await admin.PostAsync($"/api/projects/{world.ProjectA}/import", new StringContent(tasks.ToJsonString(), Encoding.UTF8, "application/json"));
        import.EnsureSuccessStatusCode();
        var task = JsonNode.Parse(await admin.GetStringAsync($"/api/tasks?project={world.ProjectA}"))!["tasks"]![0]!;
        world.TaskA = task["id"]!.GetValue<long>();
        var detail = JsonNode.Parse(await admin.GetStringAsync($"/api/tasks/{world.TaskA}"))!;
        world.AnnotationA = detail["annotations"]![0]!["id"]!.GetValue<long>();
        world.PredictionA = detail["predictions"]![0]!["id"]!.GetValue<long>();
        return world;
    }

    private static async Task<long> CreateProjectAsync(HttpClient admin, string title)
    {
        var response = await admin.PostAsJsonAsync("/api/projects", new { title });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
    }
}
