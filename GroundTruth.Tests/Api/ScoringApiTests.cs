using System.Globalization;
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

    /// <summary>A statistics answer, held to Label Studio's schema for its path (<paramref name="schemaPath"/> where the path has ids in it).</summary>
    private async Task<JsonNode> GetLabelStudioAsync(string path, string query = "", string? schemaPath = null)
    {
        var answer = await GetAsync($"/api/projects/{_project}/{path}{query}");
        LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/" + (schemaPath ?? path.Replace("model-stats/v1", "model-stats/{model_version}", StringComparison.Ordinal)), answer);
        return answer;
    }

    /// <summary>Annotator ids by email, as the API's <c>completed_by</c> gives them.</summary>
    private async Task<Dictionary<string, long>> AnnotatorIdsAsync()
    {
        var task = (await GetAsync($"/api/tasks?project={_project}&fields=all"))["tasks"]![0]!;
        return task["annotations"]!.AsArray().ToDictionary(a => a!["completed_by_email"]!.GetValue<string>(), a => a!["completed_by"]!.GetValue<long>());
    }

    private static Dictionary<string, double> Scores(JsonNode node) => node.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<double>());

    [Fact]
    public async Task Without_ground_truth_the_figures_are_empty_not_zero()
    {
        Assert.Empty((await GetLabelStudioAsync("stats/agreement-groundtruth"))["agreement"]!.AsObject());
        var model = await GetLabelStudioAsync("model-stats/v1/agreement-groundtruth");
        Assert.Null(model["agreement"]);
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

        var ids = await AnnotatorIdsAsync();
        var (bob, cat) = (ids["bob@x.org"].ToString(CultureInfo.InvariantCulture), ids["cat@x.org"].ToString(CultureInfo.InvariantCulture));

        var stats = await GetLabelStudioAsync("stats/agreement-groundtruth");
        Assert.Equal(new Dictionary<string, double> { [bob] = 1, [cat] = 0.5 }, Scores(stats["agreement"]!));
        var catStat = stats["annotators"]!.AsArray().Single(a => a!["email"]!.GetValue<string>() == "cat@x.org")!;
        Assert.Equal(4, catStat["tasks"]!.GetValue<int>());
        Assert.InRange(catStat["ci_low"]!.GetValue<double>(), 0.1, 0.5);
        Assert.InRange(catStat["ci_high"]!.GetValue<double>(), 0.5, 0.9);
        Assert.Equal([cat], (await GetLabelStudioAsync("stats/agreement-groundtruth", $"?ids={cat}"))["agreement"]!.AsObject().Select(p => p.Key));

        // Per label, the Jaccard index of the label's uses: cat said A four times where the truth said it twice.
        var perLabel = (await GetLabelStudioAsync("stats/agreement-groundtruth", "?per_label=true"))["agreement"]!;
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0.5, ["B"] = 0 }, Scores(perLabel[cat]!));
        Assert.Equal(new Dictionary<string, double> { ["A"] = 1, ["B"] = 1 }, Scores(perLabel[bob]!));

        var one = await GetLabelStudioAsync($"users/{ids["cat@x.org"]}/stats/agreement-groundtruth", schemaPath: "users/{user_pk}/stats/agreement-groundtruth");
        Assert.Equal((0.5, 4), (one["agreement"]!.GetValue<double>(), one["tasks"]!.GetValue<int>()));
        var onePerLabel = await GetAsync($"/api/projects/{_project}/users/{ids["cat@x.org"]}/stats/agreement-groundtruth?per_label=1");
        Assert.Equal(0.5, onePerLabel["agreement"]!["A"]!.GetValue<double>());

        var model = await GetLabelStudioAsync("model-stats/v1/agreement-groundtruth");
        Assert.Equal((0.5, 4), (model["agreement"]!.GetValue<double>(), model["tasks"]!.GetValue<int>()));
        var modelPerLabel = await GetAsync($"/api/projects/{_project}/model-stats/v1/agreement-groundtruth?per_label=true");
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0.5, ["B"] = 0 }, Scores(modelPerLabel["agreement"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/stats/agreement-groundtruth?per_label=maybe")).StatusCode);

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

        LabelStudioContract.AssertAnswers("get", "/api/projects/{project_pk}/tasks/{task_pk}/agreement-matrix", matrix);
        var participants = matrix["users"]!.AsArray();
        Assert.Equal(["annotator", "annotator", "annotator", "model"], participants.Select(p => p!["kind"]!.GetValue<string>()));
        Assert.Equal([false, true, false, false], participants.Select(p => p!["ground_truth"]!.GetValue<bool>()));
        var rows = matrix["matrix"]!.AsArray();
        Assert.Equal([1.0, 1.0, 0.0, 0.0], rows[0]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/projects/{_project}/tasks/999999/agreement-matrix")).StatusCode);
    }

    [Fact]
    public async Task Chance_corrected_agreement_for_a_control()
    {
        var iaa = await GetAsync($"/api/projects/{_project}/stats/reliability?from_name=sentiment");

        Assert.Equal(4, iaa["units"]!.GetValue<int>());
        Assert.Equal(3, iaa["coders"]!.GetValue<int>());
        // Units agree fully (t0, t2) or on one pair of three (t1, t3): (1 + 1/3 + 1 + 1/3) / 4.
        Assert.Equal(2.0 / 3, iaa["percent_agreement"]!.GetValue<double>(), 6);
        var cohen = iaa["cohen_kappa"]!.AsArray();
        Assert.Equal(1, cohen.Single(p => p!["a"]!.GetValue<string>() == "ann@x.org" && p["b"]!.GetValue<string>() == "bob@x.org")!["unweighted"]!.GetValue<double>());
        Assert.NotNull(iaa["krippendorff_alpha"]!["nominal"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/stats/reliability")).StatusCode);
    }

    [Fact]
    public async Task Confusion_matrix_of_ground_truth_against_annotators()
    {
        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={_project}", new { selectedItems = new { all = true }, annotator = "ann@x.org" });

        const string path = "analytics/data-quality/agreement-analysis/confusion-matrix";
        var confusion = await GetLabelStudioAsync(path, "?from_name=sentiment&mode=ground_truth");

        Assert.Equal(["A", "B", "(unmatched)"], confusion["labels"]!.AsArray().Select(r => r!.GetValue<string>()));
        // Truth A (t0, t2): bob A, cat A → 4. Truth B (t1, t3): bob B (2), cat A (2).
        Assert.Equal([[4, 0, 0], [2, 2, 0], [0, 0, 0]], confusion["matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<int>()).ToArray()).ToArray());
        var a = confusion["per_label"]!.AsArray().Single(l => l!["label"]!.GetValue<string>() == "A")!;
        Assert.Equal(4.0 / 6, a["precision"]!.GetValue<double>(), 5);
        Assert.Equal(1, a["recall"]!.GetValue<double>());
        Assert.Equal([0.666667, 1, 0], confusion["precision"]!.AsArray().Select(v => Math.Round(v!.GetValue<double>(), 6)));
        var top = confusion["top_confusion_pairs"]!.AsArray().Single()!;
        Assert.Equal(("B", "A", 2, 0.5), (top["actual"]!.GetValue<string>(), top["label"]!.GetValue<string>(), top["count"]!.GetValue<int>(), top["rate"]!.GetValue<double>()));

        // Label Studio's default mode: every ordered pair of a task's annotators, so the matrix is symmetric.
        var all = await GetLabelStudioAsync(path, "?from_name=sentiment");
        Assert.Equal([[12, 4, 0], [4, 4, 0], [0, 0, 0]], all["matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<int>()).ToArray()).ToArray());
        Assert.Equal(all["matrix"]!.ToJsonString(), (await GetLabelStudioAsync(path))["matrix"]!.ToJsonString());
        var accepted = await _client.GetAsync($"/api/projects/{_project}/{path}?mode=accepted");
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.Equal("mode", JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Annotators_against_each_other_as_label_studio_reports_them()
    {
        var ids = await AnnotatorIdsAsync();
        var key = ids.ToDictionary(p => p.Key, p => p.Value.ToString(CultureInfo.InvariantCulture));

        // Per task the mean of an annotator's pairs: ann and bob 1, ½, 1, ½; cat 1, 0, 1, 0.
        var annotators = await GetLabelStudioAsync("stats/agreement_annotators");
        Assert.Equal(new Dictionary<string, double> { [key["ann@x.org"]] = 0.75, [key["bob@x.org"]] = 0.75, [key["cat@x.org"]] = 0.5 }, Scores(annotators["agreement"]!));
        Assert.Single((await GetLabelStudioAsync("stats/agreement_annotators", $"?ids={key["cat@x.org"]}"))["agreement"]!.AsObject());
        var one = await GetLabelStudioAsync($"stats/agreement_annotator/{key["cat@x.org"]}", schemaPath: "stats/agreement_annotator/{user_id}");
        Assert.Equal(0.5, one["Agreement_per_annotator"]!.GetValue<double>());

        var iaa = await GetLabelStudioAsync("stats/IAA", "?std=true");
        Assert.Equal(["ann@x.org", "bob@x.org", "cat@x.org"], iaa["users"]!.AsArray().Select(u => u!["email"]!.GetValue<string>()));
        Assert.Equal("[[1,1,0.5],[1,1,0.5],[0.5,0.5,1]]", iaa["IAA"]!.ToJsonString());
        Assert.Equal("[[0,4,4],[4,0,4],[4,4,0]]", iaa["common_tasks"]!.ToJsonString());
        Assert.Equal(0.235702, iaa["std"]!.GetValue<double>());
        var firstTask = (await GetAsync($"/api/tasks?project={_project}"))["tasks"]![1]!["id"]!.GetValue<long>();
        Assert.Equal("[[1,1,0],[1,1,0],[0,0,1]]", (await GetLabelStudioAsync("stats/IAA", $"?task={firstTask}"))["IAA"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/stats/IAA?per_label=true")).StatusCode);
    }

    [Fact]
    public async Task Task_agreement_over_the_project_its_mean_histogram_and_labels()
    {
        // Task agreement: t0, t2 → 1; t1, t3 → ⅓.
        var total = await GetLabelStudioAsync("stats/total_agreement");
        Assert.Equal(2.0 / 3, total["total_agreement"]!.GetValue<double>(), 6);
        var perLabel = await GetLabelStudioAsync("stats/total_agreement", "?per_label=true");
        Assert.Equal(new Dictionary<string, double> { ["A"] = 0.6, ["B"] = 0.333333 }, Scores(perLabel["total_agreement"]!));

        var distribution = await GetLabelStudioAsync("analytics/data-quality/agreement-analysis/distribution");
        Assert.Equal("[0,0,0,2,0,0,0,0,0,2]", distribution["histogram"]!.ToJsonString());
        Assert.Equal((2, 4, 0), (distribution["low_agreement_count"]!.GetValue<int>(), distribution["total_tasks"]!.GetValue<int>(),
            distribution["tasks_without_agreement"]!.GetValue<int>()));
        Assert.Equal(0.666667, distribution["average_agreement"]!.GetValue<double>());

        var empty = JsonNode.Parse(await (await _client.PostAsJsonAsync("/api/projects", new { title = "empty" })).Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.NoContent, (await _client.GetAsync($"/api/projects/{empty}/stats/total_agreement")).StatusCode);
    }

    [Fact]
    public async Task A_model_version_against_the_other_versions()
    {
        var none = await GetLabelStudioAsync("model-stats/v1/prediction");
        Assert.Null(none["average_prediction_agreement_per_model"]);
        Assert.Equal(0, none["tasks"]!.GetValue<int>());

        JsonObject Task(string text, string v2) => new()
        {
            ["data"] = new JsonObject { ["text"] = text },
            ["predictions"] = new JsonArray(new JsonObject { ["model_version"] = "v1", ["result"] = new JsonArray(Fixtures.Choice("A")) },
                new JsonObject { ["model_version"] = "v2", ["result"] = new JsonArray(Fixtures.Choice(v2)) }),
        };
        (await _client.PostAsync($"/api/projects/{_project}/import", new StringContent(new JsonArray(Task("same", "A"), Task("other", "B")).ToJsonString(),
            Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var v1 = await GetLabelStudioAsync("model-stats/v1/prediction");
        Assert.Equal((0.5, 2), (v1["average_prediction_agreement_per_model"]!.GetValue<double>(), v1["tasks"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/model-stats/v1/prediction?per_label=true")).StatusCode);
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
