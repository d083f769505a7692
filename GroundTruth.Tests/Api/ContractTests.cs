using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

/// <summary>
/// Each endpoint we serve under a Label Studio path answers what Label Studio's published schema for it says
/// (<see cref="LabelStudioContract"/>), on real data: the fixtures, with ground truths, predictions and a cancelled annotation.
/// </summary>
public sealed class ContractTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private HttpClient _client = null!;
    private long _project;
    private long _task;
    private long _annotation;

    public async Task InitializeAsync()
    {
        _client = _factory.AdminClient();
        _project = await _factory.CreateProjectAsync("contract", await File.ReadAllTextAsync(Fixtures.LabelStudioFile("three_tasks_two_gts.json")));
        var import = await _client.PostAsync($"/api/projects/{_project}/import",
            new StringContent(await File.ReadAllTextAsync(Fixtures.LabelStudioFile("previous_export.json")), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var skipped = new JsonArray(new JsonObject { ["data"] = new JsonObject { ["text"] = "skipped" }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", cancelled: true)) });
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync($"/api/projects/{_project}/import", new StringContent(skipped.ToJsonString(), Encoding.UTF8, "application/json"))).StatusCode);
        var tasks = (await GetAsync($"/api/tasks/?project={_project}&fields=all"))["tasks"]!.AsArray();
        var task = tasks.First(t => t!["annotations"]!.AsArray().Count > 0 && t["predictions"]!.AsArray().Count > 0)!;
        (_task, _annotation) = (task["id"]!.GetValue<long>(), task["annotations"]![0]!["id"]!.GetValue<long>());
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<JsonNode> GetAsync(string url)
    {
        var response = await _client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> PatchAsync(string url, JsonNode body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _client.PatchAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == expected, $"PATCH {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Projects_list_in_pages_and_one_project_with_its_counts_under_label_studios_names()
    {
        await _factory.CreateProjectAsync("second");
        var list = await GetAsync("/api/projects/");
        LabelStudioContract.AssertAnswers("get", "/api/projects/", list);
        Assert.Equal(2, list["count"]!.GetValue<int>());

        var first = await GetAsync("/api/projects/?page=1&page_size=1");
        LabelStudioContract.AssertAnswers("get", "/api/projects/", first);
        Assert.Single(first["results"]!.AsArray());
        Assert.Null(first["previous"]);
        var second = await GetAsync(first["next"]!.GetValue<string>());
        Assert.Equal("second", second["results"]![0]!["title"]!.GetValue<string>());
        Assert.Null(second["next"]);

        var project = await GetAsync($"/api/projects/{_project}/");
        LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/", project);
        Assert.Equal((5, 2, 4, 3), (project["task_number"]!.GetValue<int>(), project["ground_truth_number"]!.GetValue<int>(),
            project["total_annotations_number"]!.GetValue<int>(), project["total_predictions_number"]!.GetValue<int>()));
        Assert.Equal(1, project["skipped_annotations_number"]!.GetValue<int>());
    }

    [Fact]
    public async Task Task_list_page_and_all_fields()
    {
        LabelStudioContract.AssertAnswers("get", "/api/tasks/", await GetAsync($"/api/tasks/?project={_project}"));
        var all = await GetAsync($"/api/tasks/?project={_project}&fields=all&page=1&page_size=2");
        LabelStudioContract.AssertAnswers("get", "/api/tasks/", all);
        Assert.Equal(5, all["total"]!.GetValue<int>());
        Assert.Equal(5, all["total_annotations"]!.GetValue<int>());
        Assert.Equal(3, all["total_predictions"]!.GetValue<int>());
        Assert.Equal(2, all["tasks"]!.AsArray().Count);
    }

    [Fact]
    public async Task One_task_its_annotations_and_the_project_tasks()
    {
        LabelStudioContract.AssertAnswers("get", "/api/tasks/{id}/", await GetAsync($"/api/tasks/{_task}/"));
        var annotations = await GetAsync($"/api/tasks/{_task}/annotations/");
        LabelStudioContract.AssertAnswers("get", "/api/tasks/{id}/annotations/", annotations);
        Assert.NotEmpty(annotations.AsArray());
        var simple = await GetAsync($"/api/projects/{_project}/tasks/");
        LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/tasks/", simple);
        Assert.Equal(5, simple.AsArray().Count);
    }

    [Fact]
    public async Task Predictions_of_a_task_of_a_project_and_one()
    {
        var ofTask = await GetAsync($"/api/predictions/?task={_task}");
        LabelStudioContract.AssertAnswers("get", "/api/predictions/", ofTask);
        Assert.NotEmpty(ofTask.AsArray());
        Assert.All(ofTask.AsArray(), p => Assert.Equal(_task, p!["task"]!.GetValue<long>()));
        var ofProject = await GetAsync($"/api/predictions/?project={_project}");
        LabelStudioContract.AssertAnswers("get", "/api/predictions/", ofProject);
        Assert.Equal(3, ofProject.AsArray().Count);
        var one = await GetAsync($"/api/predictions/{ofTask[0]!["id"]!.GetValue<long>()}/");
        LabelStudioContract.AssertAnswers("get", "/api/predictions/{id}/", one);
        Assert.Equal(_project, one["project"]!.GetValue<long>());
        Assert.Empty((await GetAsync($"/api/predictions/?task={_task}&project={_project + 1}")).AsArray());
    }

    [Fact]
    public async Task Export_formats_and_an_export_of_chosen_tasks()
    {
        var formats = await GetAsync($"/api/projects/{_project}/export/formats");
        LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/export/formats", formats);
        Assert.Equal(["JSON", "JSON_MIN", "CSV", "TSV"], formats.AsArray().Select(f => f!.GetValue<string>()));

        var chosen = await GetAsync($"/api/projects/{_project}/export?export_type=JSON&ids[]={_task}");
        Assert.Equal([_task], chosen.AsArray().Select(t => t!["id"]!.GetValue<long>()));
        Assert.Equal(5, (await GetAsync($"/api/projects/{_project}/export?exportType=json")).AsArray().Count);

        var csv = await _client.GetAsync($"/api/projects/{_project}/export?exportType=CSV&ids[]={_task}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"project-{_project}.csv", csv.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("\"annotation_id\",\"annotator\"", rows[0], StringComparison.Ordinal);
        Assert.Equal(1 + 1, rows.Length);
        var min = await GetAsync($"/api/projects/{_project}/export?exportType=JSON_MIN");
        Assert.All(min.AsArray(), r => Assert.NotNull(r!["annotator"]));

        var unknown = await _client.GetAsync($"/api/projects/{_project}/export?export_type=YOLO");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!;
        Assert.Equal("export_type", problem["field"]!.GetValue<string>());
        Assert.Contains("allowed: JSON, JSON_MIN, CSV, TSV", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/projects/{_project}/export?ids=x")).StatusCode);
    }

    [Fact]
    public async Task The_actions_a_manager_may_run()
    {
        var actions = await GetAsync($"/api/dm/actions/?project={_project}");
        LabelStudioContract.AssertAnswers("get", "/api/dm/actions/", actions);
        Assert.Equal(["set_ground_truths", "delete_ground_truths"], actions.AsArray().Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_annotation_names_its_annotator_by_id_with_the_username_beside()
    {
        var annotation = await GetAsync($"/api/annotations/{_annotation}/");
        LabelStudioContract.AssertAnswers("get", "/api/annotations/{id}/", annotation);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, annotation["completed_by"]!.GetValueKind());
        Assert.Contains(annotation["completed_by_email"]!.GetValue<string>(), annotation["created_username"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_that_gets_flips_ground_truth_and_patches_the_whole_object_works()
    {
        var annotation = (await GetAsync($"/api/annotations/{_annotation}/")).AsObject();
        var was = annotation["ground_truth"]!.GetValue<bool>();
        annotation["ground_truth"] = !was;

        var patched = await PatchAsync($"/api/annotations/{_annotation}/", annotation);

        LabelStudioContract.AssertAnswers("patch", "/api/annotations/{id}/", patched);
        Assert.Equal(!was, patched["ground_truth"]!.GetValue<bool>());
        Assert.Equal(!was, (await GetAsync($"/api/annotations/{_annotation}/"))["ground_truth"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("result", "[]", "result cannot be changed")]
    [InlineData("was_cancelled", "true", "was_cancelled cannot be changed")]
    [InlineData("completed_by", "999", "completed_by cannot be changed")]
    [InlineData("lead_time", "1.5", "lead_time cannot be changed")]
    [InlineData("colour", "\"red\"", "colour is not a field of an annotation")]
    public async Task A_patch_that_would_change_anything_but_the_ground_truth_is_refused_naming_the_field(string field, string value, string detail)
    {
        var annotation = (await GetAsync($"/api/annotations/{_annotation}/")).AsObject();
        var before = annotation["ground_truth"]!.GetValue<bool>();
        annotation["ground_truth"] = !before;
        annotation[field] = JsonNode.Parse(value);

        var problem = await PatchAsync($"/api/annotations/{_annotation}/", annotation, HttpStatusCode.BadRequest);

        Assert.Equal(field, problem["field"]!.GetValue<string>());
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await GetAsync($"/api/annotations/{_annotation}/"))["ground_truth"]!.GetValue<bool>());
    }
}
