using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

/// <summary>
/// Label Studio's export snapshots, as its SDK drives them: create one, poll it until it is completed, download it in
/// each format — the same file the simple export writes — and delete it; every answer in Label Studio's shape.
/// </summary>
public sealed class ExportsApiTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private HttpClient _client = null!;
    private long _project;

    public async Task InitializeAsync()
    {
        _client = _factory.AdminClient();
        _project = await _factory.CreateProjectAsync("snapshots", await File.ReadAllTextAsync(Fixtures.LabelStudioFile("three_tasks_two_gts.json")));
        await ImportAsync(await File.ReadAllTextAsync(Fixtures.LabelStudioFile("previous_export.json")));
        await ImportAsync("""[{"data": {"text": "nobody has annotated me"}}]""");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task ImportAsync(string json)
    {
        var response = await _client.PostAsync($"/api/projects/{_project}/import", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonNode> CreateAsync(string body)
    {
        var (status, text) = await SendAsync(HttpMethod.Post, $"/api/projects/{_project}/exports/", body);
        Assert.True(status == HttpStatusCode.Created, text);
        var snapshot = JsonNode.Parse(text)!;
        LabelStudioContract.AssertAnswers("post", "/api/projects/{id}/exports/", snapshot, 201);
        return snapshot;
    }

    /// <summary>Polls as the SDK does until the job has built the snapshot.</summary>
    private async Task<JsonNode> CompletedAsync(JsonNode snapshot)
    {
        var url = $"/api/projects/{_project}/exports/{snapshot["id"]}";
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var (status, text) = await SendAsync(HttpMethod.Get, url);
            Assert.Equal(HttpStatusCode.OK, status);
            var current = JsonNode.Parse(text)!;
            LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/exports/{export_pk}", current);
            if (current["status"]!.GetValue<string>() == "completed")
            {
                return current;
            }
            Assert.NotEqual("failed", current["status"]!.GetValue<string>());
            await Task.Delay(100);
        }
        throw new TimeoutException($"Export {snapshot["id"]} did not complete in 30 s.");
    }

    [Fact]
    public async Task A_snapshot_is_built_polled_downloaded_in_every_format_and_deleted()
    {
        var created = await CreateAsync("""{"title": "For Label Studio"}""");
        Assert.Equal("For Label Studio", created["title"]!.GetValue<string>());
        Assert.Equal(ApiFactory.AdminEmail, created["created_by"]!["email"]!.GetValue<string>());
        var snapshot = await CompletedAsync(created);
        Assert.NotNull(snapshot["finished_at"]);

        var simple = await _client.GetStringAsync($"/api/projects/{_project}/export");
        var tasks = JsonNode.Parse(simple)!.AsArray();
        Assert.Equal(tasks.Count, snapshot["counters"]!["task_number"]!.GetValue<int>());
        Assert.Equal(tasks.Sum(t => t!["annotations"]!.AsArray().Count), snapshot["counters"]!["annotation_number"]!.GetValue<int>());
        Assert.Equal(tasks.Sum(t => t!["predictions"]!.AsArray().Count), snapshot["counters"]!["prediction_number"]!.GetValue<int>());

        var download = $"/api/projects/{_project}/exports/{snapshot["id"]}/download";
        using (var json = await _client.GetAsync(download))
        {
            Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
            Assert.True(JsonNode.DeepEquals(tasks, JsonNode.Parse(await json.Content.ReadAsStringAsync())), "The snapshot differs from the simple export.");
        }
        foreach (var format in new[] { "JSON_MIN", "CSV", "TSV" })
        {
            Assert.Equal(await _client.GetStringAsync($"/api/projects/{_project}/export?exportType={format}"),
                await _client.GetStringAsync($"{download}?exportType={format}"));
        }
        var (unknown, problem) = await SendAsync(HttpMethod.Get, $"{download}?exportType=COCO");
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.Contains("JSON_MIN", problem);

        var (_, list) = await SendAsync(HttpMethod.Get, $"/api/projects/{_project}/exports/");
        LabelStudioContract.AssertAnswers("get", "/api/projects/{id}/exports/", JsonNode.Parse(list));
        Assert.Equal([snapshot["id"]!.GetValue<long>()], JsonNode.Parse(list)!.AsArray().Select(s => s!["id"]!.GetValue<long>()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/projects/{_project}/exports/{snapshot["id"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, $"/api/projects/{_project}/exports/{snapshot["id"]}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, download)).Status);
        Assert.Equal("[]", (await SendAsync(HttpMethod.Get, $"/api/projects/{_project}/exports/")).Text);
    }

    [Fact]
    public async Task Only_with_annotations_leaves_out_the_tasks_nobody_annotated()
    {
        var snapshot = await CompletedAsync(await CreateAsync("""{"task_filter_options": {"only_with_annotations": true}, "annotation_filter_options": {"usual": true}}"""));
        Assert.True(snapshot["task_filter_options"]!["only_with_annotations"]!.GetValue<bool>());
        var tasks = JsonNode.Parse(await _client.GetStringAsync($"/api/projects/{_project}/exports/{snapshot["id"]}/download"))!.AsArray();
        Assert.DoesNotContain(tasks, t => t!["data"]!["text"]?.GetValue<string>() == "nobody has annotated me");
        Assert.All(tasks, t => Assert.NotEmpty(t!["annotations"]!.AsArray()));
        var all = JsonNode.Parse(await _client.GetStringAsync($"/api/projects/{_project}/export"))!.AsArray();
        Assert.Equal(all.Count(t => t!["annotations"]!.AsArray().Count > 0), tasks.Count);
    }

    [Theory]
    [InlineData("""{"title": 5}""", "title")]
    [InlineData("""{"task_filter_options": {"view": 3}}""", "task_filter_options.view")]
    [InlineData("""{"task_filter_options": {"annotated": "only"}}""", "task_filter_options.annotated")]
    [InlineData("""{"task_filter_options": {"only_with_annotations": "yes"}}""", "task_filter_options.only_with_annotations")]
    [InlineData("""{"task_filter_options": []}""", "task_filter_options")]
    [InlineData("""{"annotation_filter_options": {"skipped": false}}""", "annotation_filter_options.skipped")]
    [InlineData("""{"annotation_filter_options": {"reviewed": "only"}}""", "annotation_filter_options.reviewed")]
    public async Task Options_that_would_filter_what_we_cannot_are_a_400_naming_them(string body, string field)
    {
        var (status, text) = await SendAsync(HttpMethod.Post, $"/api/projects/{_project}/exports/", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, JsonNode.Parse(text)!["field"]!.GetValue<string>());
        Assert.Equal("[]", (await SendAsync(HttpMethod.Get, $"/api/projects/{_project}/exports/")).Text);
    }
}
