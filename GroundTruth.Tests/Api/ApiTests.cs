using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

public sealed class ApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.AdminClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<long> CreateProjectAsync(string title = "API")
    {
        var response = await _client.PostAsJsonAsync("/api/projects", new { title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response))["id"]!.GetValue<long>();
    }

    private async Task<long> ProjectWithTasksAsync()
    {
        var project = await CreateProjectAsync();
        var response = await _client.PostAsync($"/api/projects/{project}/import", JsonBody(Fixtures.Tasks(4, "ann@x.org", "bob@x.org")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return project;
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Json(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(detail, body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_openapi()
    {
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health")).StatusCode);
        var openApi = await Json(await _client.GetAsync("/openapi/v1.json"));
        Assert.NotNull(openApi["paths"]!["/api/dm/actions"]);
    }

    [Fact]
    public async Task The_api_reference_page_is_served_from_the_openapi_document()
    {
        var page = await _client.GetAsync("/reference");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Projects_list_create_get_and_errors()
    {
        var id = await CreateProjectAsync("Birds");

        var list = await Json(await _client.GetAsync("/api/projects"));
        Assert.Equal(1, list["count"]!.GetValue<int>());
        Assert.Equal("Birds", list["results"]!.AsArray().Single()!["title"]!.GetValue<string>());
        var one = await Json(await _client.GetAsync($"/api/projects/{id}"));
        Assert.Equal(0, one["task_count"]!.GetValue<int>());

        await AssertProblem(await _client.GetAsync("/api/projects/999"), HttpStatusCode.NotFound, "Project 999 was not found");
        await AssertProblem(await _client.PostAsJsonAsync("/api/projects", new { title = "" }), HttpStatusCode.BadRequest, "title");
        await AssertProblem(await _client.PostAsync("/api/projects", JsonBody("{\"title\": ")), HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task Import_as_json_and_as_multipart_then_export()
    {
        var project = await CreateProjectAsync();
        var response = await _client.PostAsync($"/api/projects/{project}/import", JsonBody(await File.ReadAllTextAsync(Fixtures.LabelStudioFile("three_tasks_two_gts.json"))));
        var counts = await Json(response);
        Assert.Equal("""{"task_count":3,"annotation_count":3,"prediction_count":3,"ground_truth_count":2,"corrected_tasks":0,"replaced_characters":0}""", counts.ToJsonString());

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(Fixtures.LabelStudioFile("previous_export.json")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        form.Add(file, "file", "previous_export.json");
        Assert.Equal(1, (await Json(await _client.PostAsync($"/api/projects/{project}/import", form)))["task_count"]!.GetValue<int>());

        var export = await _client.GetAsync($"/api/projects/{project}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var tasks = (await Json(export)).AsArray();
        Assert.Equal(4, tasks.Count);
        Assert.Equal(2, tasks.Count(t => t!["annotations"]!.AsArray().Any(a => a!["ground_truth"]!.GetValue<bool>())));
    }

    [Fact]
    public async Task Ground_truth_pairs_and_the_export_name_the_files_ids_when_asked()
    {
        var project = await CreateProjectAsync();
        var import = await _client.PostAsync($"/api/projects/{project}/import", JsonBody(await File.ReadAllTextAsync(Fixtures.LabelStudioFile("image_urls_with_bboxes_gt.json"))));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);

        var file = await Json(await _client.GetAsync($"/api/projects/{project}/ground-truths?id_source=file"));
        Assert.Equal("""[{"task":282278,"annotation":618584},{"task":282279,"annotation":618584}]""", file.ToJsonString());

        var ours = (await Json(await _client.GetAsync($"/api/projects/{project}/ground-truths"))).AsArray();
        var exported = (await Json(await _client.GetAsync($"/api/projects/{project}/export"))).AsArray();
        Assert.Equal(exported.Select(t => (t!["id"]!.GetValue<long>(), t["annotations"]![0]!["id"]!.GetValue<long>())),
            ours.Select(p => (p!["task"]!.GetValue<long>(), p["annotation"]!.GetValue<long>())));
        var exportedByFile = (await Json(await _client.GetAsync($"/api/projects/{project}/export?id_source=file"))).AsArray();
        Assert.Equal([282278L, 282279L], exportedByFile.Select(t => t!["id"]!.GetValue<long>()));

        foreach (var path in new[] { "ground-truths", "export" })
        {
            var bad = await _client.GetAsync($"/api/projects/{project}/{path}?id_source=theirs");
            await AssertProblem(bad, HttpStatusCode.BadRequest, "id_source must be 'ours' or 'file', not 'theirs'.");
        }
        await AssertProblem(await _client.GetAsync("/api/projects/999/ground-truths"), HttpStatusCode.NotFound, "Project 999");
    }

    [Fact]
    public async Task Import_errors_name_item_and_path_and_unknown_projects_are_404()
    {
        var project = await CreateProjectAsync();
        var response = await _client.PostAsync($"/api/projects/{project}/import", JsonBody("[{\"data\": {}}, {\"data\": {}, \"annotations\": [{\"result\": 5}]}]"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(1, problem["item"]!.GetValue<int>());
        Assert.Equal("$[1].annotations[0].result", problem["path"]!.GetValue<string>());
        Assert.Contains("result must be a list", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await Json(await _client.GetAsync($"/api/projects/{project}")))["task_count"]!.GetValue<int>());

        await AssertProblem(await _client.PostAsync("/api/projects/999/import", JsonBody("[]")), HttpStatusCode.NotFound, "Project 999");
        await AssertProblem(await _client.GetAsync("/api/projects/999/export"), HttpStatusCode.NotFound, "Project 999");
        await AssertProblem(await _client.PostAsync($"/api/projects/{project}/import", new MultipartFormDataContent { { new StringContent("x"), "field" } }),
            HttpStatusCode.BadRequest, "holds no file");
    }

    [Fact]
    public async Task Task_list_with_filters_ordering_paging_and_errors()
    {
        var project = await ProjectWithTasksAsync();
        var query = JsonSerializer.Serialize(new
        {
            filters = new { conjunction = "and", items = new[] { new { filter = "filter:tasks:data.n", @operator = "greater", type = "Number", value = 0 } } },
            ordering = new[] { "-tasks:id" },
        });

        var page = await Json(await _client.GetAsync($"/api/tasks?project={project}&query={Uri.EscapeDataString(query)}&page=1&page_size=2"));

        Assert.Equal(3, page["total"]!.GetValue<int>());
        var tasks = page["tasks"]!.AsArray();
        Assert.Equal([3, 2], tasks.Select(t => t!["data"]!["n"]!.GetValue<int>()));
        var first = tasks[0]!.AsObject();
        foreach (var field in new[] { "id", "inner_id", "data", "total_annotations", "cancelled_annotations", "total_predictions", "ground_truth", "ground_truth_annotation", "annotators", "created_at", "updated_at" })
        {
            Assert.True(first.ContainsKey(field), field);
        }

        await AssertProblem(await _client.GetAsync($"/api/tasks?project={project}&query={Uri.EscapeDataString("{\"ordering\": [\"tasks:nope\"]}")}"), HttpStatusCode.BadRequest, "Sortable columns");
        await AssertProblem(await _client.GetAsync($"/api/tasks?project={project}&query=%7Bbroken"), HttpStatusCode.BadRequest, "not valid JSON");
        await AssertProblem(await _client.GetAsync("/api/tasks"), HttpStatusCode.BadRequest, "project query parameter is required");
        await AssertProblem(await _client.GetAsync("/api/tasks?project=999"), HttpStatusCode.NotFound, "Project 999");
        await AssertProblem(await _client.GetAsync($"/api/tasks?project={project}&page_size=0"), HttpStatusCode.BadRequest, "page_size");
        await AssertProblem(await _client.GetAsync($"/api/tasks?project={project}&page=abc"), HttpStatusCode.BadRequest, "page");
    }

    [Fact]
    public async Task Task_detail_patch_ground_truth_and_history()
    {
        var project = await ProjectWithTasksAsync();
        var taskId = (await Json(await _client.GetAsync($"/api/tasks?project={project}")))["tasks"]![0]!["id"]!.GetValue<long>();
        var task = await Json(await _client.GetAsync($"/api/tasks/{taskId}"));
        var annotations = task["annotations"]!.AsArray();
        Assert.Equal("ann@x.org", annotations[0]!["completed_by_email"]!.GetValue<string>());
        var annotationId = annotations[0]!["id"]!.GetValue<long>();

        var patched = await _client.PatchAsync($"/api/annotations/{annotationId}", JsonBody("{\"ground_truth\": true}"));
        Assert.True((await Json(patched))["ground_truth"]!.GetValue<bool>());
        var after = await Json(await _client.GetAsync($"/api/tasks/{taskId}"));
        Assert.Equal(annotationId, after["ground_truth_annotation"]!.GetValue<long>());

        await _client.PatchAsync($"/api/annotations/{annotationId}", JsonBody("{\"ground_truth\": false}"));
        var history = (await Json(await _client.GetAsync($"/api/tasks/{taskId}/ground-truth-history"))).AsArray();
        Assert.Equal(["unset", "set"], history.Select(h => h!["kind"]!.GetValue<string>()));
        Assert.Equal("api", history[0]!["source"]!.GetValue<string>());

        await AssertProblem(await _client.GetAsync("/api/tasks/999"), HttpStatusCode.NotFound, "Task 999");
        await AssertProblem(await _client.GetAsync("/api/tasks/999/ground-truth-history"), HttpStatusCode.NotFound, "Task 999");
        await AssertProblem(await _client.PatchAsync("/api/annotations/999", JsonBody("{\"ground_truth\": true}")), HttpStatusCode.NotFound, "Annotation 999");
        await AssertProblem(await _client.PatchAsync($"/api/annotations/{annotationId}", JsonBody("{}")), HttpStatusCode.BadRequest, "ground_truth");
        await AssertProblem(await _client.PatchAsync($"/api/annotations/{annotationId}", JsonBody("{\"ground_truth\": \"yes\"}")), HttpStatusCode.BadRequest, "ground_truth must be true or false");
    }

    [Fact]
    public async Task Patching_a_cancelled_annotation_is_a_conflict()
    {
        var project = await CreateProjectAsync();
        var json = new JsonArray(new JsonObject { ["data"] = new JsonObject(), ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A", cancelled: true)) });
        await _client.PostAsync($"/api/projects/{project}/import", JsonBody(json.ToJsonString()));
        var taskId = (await Json(await _client.GetAsync($"/api/tasks?project={project}")))["tasks"]![0]!["id"]!.GetValue<long>();
        var annotationId = (await Json(await _client.GetAsync($"/api/tasks/{taskId}")))["annotations"]![0]!["id"]!.GetValue<long>();

        await AssertProblem(await _client.PatchAsync($"/api/annotations/{annotationId}", JsonBody("{\"ground_truth\": true}")), HttpStatusCode.Conflict, "cancelled");
    }

    [Fact]
    public async Task Actions_set_and_delete_ground_truths()
    {
        var project = await ProjectWithTasksAsync();
        var body = new { filters = new { conjunction = "and", items = Array.Empty<object>() }, selectedItems = new { all = true, excluded = Array.Empty<long>() }, annotator = "ann@x.org", dry_run = true };

        var preview = await Json(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", body));
        Assert.Equal("""{"processed_items":4,"set":4,"replaced":0,"unchanged":0,"skipped":0}""", preview.ToJsonString());
        Assert.Equal(0, (await Json(await _client.GetAsync($"/api/projects/{project}")))["ground_truth_count"]!.GetValue<int>());

        await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", body with { dry_run = false });
        Assert.Equal(4, (await Json(await _client.GetAsync($"/api/projects/{project}")))["ground_truth_count"]!.GetValue<int>());

        var deleted = await Json(await _client.PostAsJsonAsync($"/api/dm/actions?id=delete_ground_truths&project={project}",
            new { selectedItems = new { all = false, included = Array.Empty<long>() } }));
        Assert.Equal(0, deleted["processed_items"]!.GetValue<int>());
        deleted = await Json(await _client.PostAsJsonAsync($"/api/dm/actions?id=delete_ground_truths&project={project}",
            new { selectedItems = new { all = true } }));
        Assert.Equal(4, deleted["processed_items"]!.GetValue<int>());
        Assert.Equal(0, (await Json(await _client.GetAsync($"/api/projects/{project}")))["ground_truth_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Action_errors()
    {
        var project = await ProjectWithTasksAsync();
        var all = new { selectedItems = new { all = true }, annotator = "ann@x.org" };
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=delete_tasks&project={project}", all), HttpStatusCode.BadRequest, "Allowed: set_ground_truths, delete_ground_truths");
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", new { annotator = "ann@x.org" }), HttpStatusCode.BadRequest, "selectedItems is required");
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", new { selectedItems = new { all = true } }), HttpStatusCode.BadRequest, "annotator is required");
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", new { selectedItems = new { all = true }, annotator = "nobody@x.org" }), HttpStatusCode.BadRequest, "No annotator");
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}", new { selectedItems = new { all = true }, annotator = 999 }), HttpStatusCode.NotFound, "Member 999");
        await AssertProblem(await _client.PostAsJsonAsync("/api/dm/actions?id=set_ground_truths&project=999", all), HttpStatusCode.NotFound, "Project 999");
        await AssertProblem(await _client.PostAsJsonAsync($"/api/dm/actions?id=set_ground_truths&project={project}",
            new { filters = new { conjunction = "and", items = new[] { new { filter = "filter:tasks:x", @operator = "equal", type = "Number", value = 1 } } }, selectedItems = new { all = true }, annotator = "ann@x.org" }),
            HttpStatusCode.BadRequest, "unknown column 'x'");
        await AssertProblem(await _client.PostAsync($"/api/dm/actions?id=set_ground_truths&project={project}", JsonBody("{nope")), HttpStatusCode.BadRequest, "not valid JSON");
    }

    [Fact]
    public async Task Unknown_routes_are_problem_404s()
    {
        var response = await _client.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
