using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

/// <summary>
/// Label Studio's saved views: a script creates a tab with filters and ordering, lists it, lists the tasks through it,
/// changes and deletes it, each answer in Label Studio's <c>View</c> shape; a view that could not run is refused.
/// </summary>
public sealed class ViewsApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private HttpClient _client = null!;
    private long _project;

    private const string GroundTruthOnly = """{"conjunction": "and", "items": [{"filter": "filter:tasks:ground_truth", "operator": "equal", "type": "Boolean", "value": true}]}""";

    public async Task InitializeAsync()
    {
        _client = _factory.AdminClient();
        _project = await _factory.CreateProjectAsync("views", await File.ReadAllTextAsync(Fixtures.LabelStudioFile("three_tasks_two_gts.json")));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> CreateAsync(string data, int? order = null)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/dm/views/",
            $$"""{"project": {{_project}}, "data": {{data}}{{(order is null ? "" : $", \"order\": {order}")}}}""");
        Assert.True(status == HttpStatusCode.Created, body?.ToJsonString());
        LabelStudioContract.AssertAnswers("post", "/api/dm/views/", body, 201);
        return body!;
    }

    [Fact]
    public async Task A_tab_is_made_listed_used_changed_and_deleted()
    {
        var starred = await CreateAsync($$$"""{"title": "Starred", "filters": {{{GroundTruthOnly}}}, "ordering": ["-tasks:id"], "hiddenColumns": {"explore": ["tasks:data.text"]}}""", order: 1);
        var all = await CreateAsync("""{"title": "Everything"}""", order: 0);
        var (id, project) = (starred["id"]!.GetValue<long>(), starred["project"]!.GetValue<long>());
        Assert.Equal(_project, project);
        Assert.Equal("""["-tasks:id"]""", starred["ordering"]!.ToJsonString());
        // What we do not read is kept as it came.
        Assert.Equal("""{"explore":["tasks:data.text"]}""", starred["data"]!["hiddenColumns"]!.ToJsonString());

        var (_, list) = await SendAsync(HttpMethod.Get, $"/api/dm/views/?project={_project}");
        LabelStudioContract.AssertAnswers("get", "/api/dm/views/", list);
        Assert.Equal(["Everything", "Starred"], list!.AsArray().Select(v => v!["data"]!["title"]!.GetValue<string>()));

        var (_, one) = await SendAsync(HttpMethod.Get, $"/api/dm/views/{id}/");
        LabelStudioContract.AssertAnswers("get", "/api/dm/views/{id}/", one);

        // The view's filter and ordering: the two tasks with a ground truth, newest first.
        var (_, tasks) = await SendAsync(HttpMethod.Get, $"/api/tasks/?view={id}");
        LabelStudioContract.AssertAnswers("get", "/api/tasks/", tasks);
        var ids = tasks!["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(2, tasks["total"]!.GetValue<int>());
        Assert.Equal(ids.OrderDescending(), ids);
        // A query's own ordering takes the view's place; its filter stays.
        var (_, ascending) = await SendAsync(HttpMethod.Get, $"/api/tasks/?project={_project}&view={id}&query={Uri.EscapeDataString("{\"ordering\": [\"tasks:id\"]}")}");
        Assert.Equal(ids.Order(), ascending!["tasks"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));

        var (patched, renamed) = await SendAsync(HttpMethod.Patch, $"/api/dm/views/{id}/", """{"data": {"title": "Stars"}}""");
        Assert.Equal(HttpStatusCode.OK, patched);
        LabelStudioContract.AssertAnswers("patch", "/api/dm/views/{id}/", renamed);
        Assert.Equal(1, renamed!["order"]!.GetValue<int>());
        Assert.Null(renamed["data"]!["filters"]);
        Assert.Equal(3, (await SendAsync(HttpMethod.Get, $"/api/tasks/?view={id}")).Body!["total"]!.GetValue<int>());

        var (put, replaced) = await SendAsync(HttpMethod.Put, $"/api/dm/views/{id}/", $$$"""{"project": {{{_project}}}, "data": {"title": "Again", "filters": {{{GroundTruthOnly}}}}}""");
        Assert.Equal(HttpStatusCode.OK, put);
        LabelStudioContract.AssertAnswers("put", "/api/dm/views/{id}/", replaced);
        Assert.Null(replaced!["order"]);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/dm/views/{id}/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/dm/views/{id}/")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/tasks/?view={id}")).Status);
        Assert.Single((await SendAsync(HttpMethod.Get, $"/api/dm/views/?project={_project}")).Body!.AsArray());
        Assert.Equal("Everything", all["data"]!["title"]!.GetValue<string>());
    }

    public static TheoryData<string, string> Refused() => new()
    {
        // body, the field the 400 names
        { """{"data": {"title": "no project"}}""", "project" },
        { """{"project": "one", "data": {}}""", "project" },
        { """{"project": PROJECT, "data": "not an object"}""", "data" },
        { """{"project": PROJECT, "data": {"title": ""}}""", "data.title" },
        { """{"project": PROJECT, "data": {"filters": "ground truth"}}""", "data.filters" },
        { """{"project": PROJECT, "data": {"filters": {"conjunction": "xor", "items": []}}}""", "data.filters" },
        { """{"project": PROJECT, "data": {"filters": {"conjunction": "and", "items": [{"filter": "filter:tasks:nonsense", "operator": "equal", "type": "Number", "value": 1}]}}}""", "data.filters" },
        { """{"project": PROJECT, "data": {"ordering": ["tasks:nonsense"]}}""", "data.ordering" },
        { """{"project": PROJECT, "data": {"ordering": "tasks:id"}}""", "data.ordering" },
        { """{"project": PROJECT, "data": {}, "order": 1.5}""", "order" },
        { """{"project": PROJECT, "data": {"ground_truth": "yes"}}""", "data.ground_truth" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_view_that_could_not_run_is_refused_naming_the_field(string body, string field)
    {
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/dm/views/", body.Replace("PROJECT", _project.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, problem!["field"]!.GetValue<string>());
        Assert.Empty((await SendAsync(HttpMethod.Get, $"/api/dm/views/?project={_project}")).Body!.AsArray());
    }

    [Fact]
    public async Task A_view_stays_in_its_project()
    {
        var view = (await CreateAsync("""{"title": "here"}"""))["id"]!.GetValue<long>();
        var other = await _factory.CreateProjectAsync("elsewhere");

        var (moved, problem) = await SendAsync(HttpMethod.Patch, $"/api/dm/views/{view}/", $$"""{"project": {{other}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, moved);
        Assert.Equal("project", problem!["field"]!.GetValue<string>());
        var (mixed, mixedProblem) = await SendAsync(HttpMethod.Get, $"/api/tasks/?project={other}&view={view}");
        Assert.Equal(HttpStatusCode.BadRequest, mixed);
        Assert.Equal("view", mixedProblem!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Get, "/api/dm/views/")).Status);
    }
}
