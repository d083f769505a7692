using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// The app the hardening suite throws bad input at: project "Target" (three tasks annotated by a and b, one of them
/// with a ground truth, one with a prediction), a second project "Elsewhere", and the administrator's client.
/// </summary>
public sealed class HardeningWorld : IAsyncLifetime
{
    public ApiFactory Factory { get; } = new(new Dictionary<string, string> { ["GroundTruth:SignIn:AttemptsPerMinute"] = "1000" });
    public HttpClient Admin { get; private set; } = null!;
    public Actor AdminActor { get; private set; } = null!;
    public long Project { get; private set; }
    public long Elsewhere { get; private set; }
    public long Task { get; private set; }
    public long Annotation { get; private set; }
    public long ElsewhereTask { get; private set; }

    public async Task InitializeAsync()
    {
        Admin = Factory.AdminClient();
        var tasks = JsonNode.Parse(Fixtures.Tasks(3, "a@x.org", "b@x.org"))!.AsArray();
        tasks[0]!["annotations"]![0]!["ground_truth"] = true;
        tasks[1]!["predictions"] = new JsonArray(new JsonObject { ["model_version"] = "v1", ["result"] = new JsonArray(Fixtures.Choice("A")) });
        Project = await Factory.CreateProjectAsync("Target", tasks.ToJsonString());
        Elsewhere = await Factory.CreateProjectAsync("Elsewhere", Fixtures.Tasks(1, "c@x.org"));
        var page = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks?project={Project}"))!;
        Task = page["tasks"]![0]!["id"]!.GetValue<long>();
        Annotation = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks/{Task}"))!["annotations"]![1]!["id"]!.GetValue<long>();
        ElsewhereTask = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks?project={Elsewhere}"))!["tasks"]![0]!["id"]!.GetValue<long>();
        AdminActor = await EverythingReads.AdministratorAsync(Factory.Services);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Factory.DisposeAsync();
    }
}
