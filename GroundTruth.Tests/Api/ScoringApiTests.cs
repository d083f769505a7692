using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

public sealed class ScoringApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private HttpClient _client = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _client = _factory.AdminClient();
        _project = JsonNode.Parse(await (await _client.PostAsJsonAsync("/api/projects", new { title = "scores" })).Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        // Task i: ann says A/B alternately, bob says the same, cat always says A; one prediction "A" each.
        var tasks = new JsonArray();
        for (var i = 0; i < 4; i++)
        {
            var label = i % 2 == 0 ? "A" : "B";
            tasks.Add(new JsonObject
            {
                ["data"] = new JsonObject { ["text"] = $"t{i}" },
                ["annotations"] = new JsonArray(Fixtures.Annotation("ann@x.org", label), Fixtures.Annotation("bob@x.org", label, minute: 1), Fixtures.Annotation("cat@x.org", "A", minute: 2)),
                ["predictions"] = new JsonArray(new JsonObject { ["model_version"] = "v1", ["result"] = new JsonArray(Fixtures.Choice("A")) }),
            });
        }
        (await _client.PostAsync($"/api/projects/{_project}/import", new StringContent(tasks.ToJsonString(), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<JsonNode> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Without_ground_truth_the_figures_are_empty_not_zero()
    {
        Assert.Empty((await GetAsync($"/api/projects/{_project}/stats/agreement-groundtruth")).AsArray());
        var model = await GetAsync($"/api/projects/{_project}/model-stats/v1/agreement-groundtruth");
        Assert.Null(model["accuracy"]);
        Assert.Equal(0, model["tasks"]!.GetValue<int>());
        var tasks = (await GetAsync($"/api/tasks?project={_project}"))["tasks"]!.AsArray();
        Assert.All(tasks, t => Assert.Null(t!["accuracy"]));
        // t0: all three say A → 1; t1: B, B, A → one agreeing pair of three.
        Assert.Equal(1, tasks[0]!["agreement"]!.GetValue<double>());
        Assert.Equal(1.0 / 3, tasks[1]!["agreement"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Accuracy_per_annotator_and_model_against_ground_truth()
    {
        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={_project}", new { selectedItems = new { all = true }, annotator = "ann@x.org" });

        var stats = (await GetAsync($"/api/projects/{_project}/stats/agreement-groundtruth")).AsArray();
        Assert.Equal(["bob@x.org", "cat@x.org"], stats.Select(s => s!["member"]!.GetValue<string>()));
        Assert.Equal(1, stats[0]!["accuracy"]!.GetValue<double>());
        Assert.Equal(0.5, stats[1]!["accuracy"]!.GetValue<double>());
        Assert.Equal(4, stats[1]!["tasks"]!.GetValue<int>());
        Assert.InRange(stats[1]!["ci_low"]!.GetValue<double>(), 0.1, 0.5);
        Assert.InRange(stats[1]!["ci_high"]!.GetValue<double>(), 0.5, 0.9);
        var model = await GetAsync($"/api/projects/{_project}/model-stats/v1/agreement-groundtruth");
        Assert.Equal(0.5, model["accuracy"]!.GetValue<double>());

        var taskId = (await GetAsync($"/api/tasks?project={_project}&query={Uri.EscapeDataString("{\"ordering\": [\"tasks:accuracy\"]}")}"))["tasks"]![0]!["id"]!.GetValue<long>();
        var task = await GetAsync($"/api/tasks/{taskId}");
        var annotations = task["annotations"]!.AsArray();
        Assert.Null(annotations[0]!["accuracy"]); // the ground truth itself
        Assert.Equal(0, annotations[2]!["accuracy"]!.GetValue<double>());
        Assert.Equal("sentiment", annotations[2]!["breakdown"]!["controls"]![0]!["from_name"]!.GetValue<string>());
        Assert.NotNull(task["predictions"]![0]!["accuracy"]);
    }

    [Fact]
    public async Task The_agreement_matrix_lists_annotators_and_models()
    {
        var taskId = (await GetAsync($"/api/tasks?project={_project}"))["tasks"]![1]!["id"]!.GetValue<long>();
        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={_project}", new { selectedItems = new { all = false, included = new[] { taskId } }, annotator = "bob@x.org" });

        var matrix = await GetAsync($"/api/projects/{_project}/tasks/{taskId}/agreement-matrix");

        var participants = matrix["participants"]!.AsArray();
        Assert.Equal(["annotator", "annotator", "annotator", "model"], participants.Select(p => p!["kind"]!.GetValue<string>()));
        Assert.Equal([false, true, false, false], participants.Select(p => p!["ground_truth"]!.GetValue<bool>()));
        var rows = matrix["matrix"]!.AsArray();
        Assert.Equal([1.0, 1.0, 0.0, 0.0], rows[0]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/projects/{_project}/tasks/999999/agreement-matrix")).StatusCode);
    }

    [Fact]
    public async Task Chance_corrected_agreement_for_a_control()
    {
        var iaa = await GetAsync($"/api/projects/{_project}/stats/iaa?from_name=sentiment");

        Assert.Equal(4, iaa["units"]!.GetValue<int>());
        Assert.Equal(3, iaa["coders"]!.GetValue<int>());
        // Units agree fully (t0, t2) or on one pair of three (t1, t3): (1 + 1/3 + 1 + 1/3) / 4.
        Assert.Equal(2.0 / 3, iaa["percent_agreement"]!.GetValue<double>(), 6);
        var cohen = iaa["cohen_kappa"]!.AsArray();
        Assert.Equal(1, cohen.Single(p => p!["a"]!.GetValue<string>() == "ann@x.org" && p["b"]!.GetValue<string>() == "bob@x.org")!["unweighted"]!.GetValue<double>());
        Assert.NotNull(iaa["krippendorff_alpha"]!["nominal"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/stats/iaa")).StatusCode);
    }

    [Fact]
    public async Task Confusion_matrix_of_ground_truth_against_annotators()
    {
        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={_project}", new { selectedItems = new { all = true }, annotator = "ann@x.org" });

        var confusion = await GetAsync($"/api/projects/{_project}/stats/confusion-matrix?from_name=sentiment");

        Assert.Equal(["A", "B", "(unmatched)"], confusion["rows"]!.AsArray().Select(r => r!.GetValue<string>()));
        // Truth A (t0, t2): bob A, cat A → 4. Truth B (t1, t3): bob B (2), cat A (2).
        Assert.Equal([[4, 0, 0], [2, 2, 0], [0, 0, 0]], confusion["matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<int>()).ToArray()).ToArray());
        var a = confusion["per_label"]!.AsArray().Single(l => l!["label"]!.GetValue<string>() == "A")!;
        Assert.Equal(4.0 / 6, a["precision"]!.GetValue<double>(), 5);
        Assert.Equal(1, a["recall"]!.GetValue<double>());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/stats/confusion-matrix")).StatusCode);
    }

    [Fact]
    public async Task Scoring_settings_round_trip_and_rescore_the_project()
    {
        var put = await _client.PutAsJsonAsync($"/api/projects/{_project}/scoring-settings", new { threshold = 0.9, methodology = "consensus" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        JsonNode settings;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            settings = await GetAsync($"/api/projects/{_project}/scoring-settings");
        }
        while (settings["recompute"]!["running"]!.GetValue<bool>() && DateTime.UtcNow < deadline);

        Assert.Equal(0.9, settings["settings"]!["threshold"]!.GetValue<double>());
        Assert.Equal("consensus", settings["settings"]!["methodology"]!.GetValue<string>());
        Assert.Equal(4, settings["recompute"]!["done"]!.GetValue<int>());
        // Consensus on t1 (B, B, A): the most agreed-with annotation and the one that agrees with it → 2 of 3.
        Assert.Equal(2.0 / 3, (await GetAsync($"/api/tasks?project={_project}"))["tasks"]![1]!["agreement"]!.GetValue<double>(), 6);

        var bad = await _client.PutAsJsonAsync($"/api/projects/{_project}/scoring-settings", new { threshold = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Agreement_and_accuracy_filter_and_sort_the_task_list()
    {
        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={_project}", new { selectedItems = new { all = true }, annotator = "ann@x.org" });
        var query = "{\"filters\": {\"conjunction\": \"and\", \"items\": [{\"filter\": \"filter:tasks:accuracy\", \"operator\": \"less\", \"type\": \"Number\", \"value\": 0.5}]}, \"ordering\": [\"-tasks:agreement\"]}";

        var page = await GetAsync($"/api/tasks?project={_project}&query={Uri.EscapeDataString(query)}");

        Assert.Equal(2, page["total"]!.GetValue<int>());
        // Cat's A is wrong on t1 and t3 (accuracy 0); on t0 and t2 everyone is right.
        Assert.Equal(["t1", "t3"], page["tasks"]!.AsArray().Select(t => t!["data"]!["text"]!.GetValue<string>()).Order());
    }
}
