using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Accounts;

/// <summary>
/// Every API endpoint × {anonymous, annotator, reviewer, manager, administrator, member of another project}: the status
/// each gets. An endpoint without a row here fails <see cref="Every_api_endpoint_has_a_row"/>.
/// </summary>
public sealed class ApiAuthorizationTests : IAsyncLifetime
{
    private sealed record Row(string Method, string Pattern, string Expected, Func<AccessWorld, string, Task<HttpRequestMessage>> Request);

    private static HttpRequestMessage Json(HttpMethod method, string url, string? body = null) =>
        new(method, url) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json") };

    private static Task<HttpRequestMessage> Sync(HttpRequestMessage request) => Task.FromResult(request);

    /// <summary>A fresh view of project A for each request, so a DELETE by one role leaves one for the next.</summary>
    private static async Task<long> ViewAsync(AccessWorld w) =>
        (await w.Factory.Services.GetRequiredService<SavedViewService>().CreateAsync(Actor.System, w.ProjectA, new JsonObject { ["title"] = "tab" }, null)).Id;

    /// <summary>A fresh snapshot of project A, built: the download row needs a completed one.</summary>
    private static async Task<long> SnapshotAsync(AccessWorld w)
    {
        var snapshots = w.Factory.Services.GetRequiredService<ExportSnapshotService>();
        var id = (await snapshots.CreateAsync(Actor.System, w.ProjectA, null, false)).Id;
        for (var attempt = 0; attempt < 300 && (await snapshots.GetAsync(Actor.System, w.ProjectA, id)).Status != "completed"; attempt++)
        {
            await Task.Delay(100);
        }
        return id;
    }

    //                                    anonymous annotator reviewer manager administrator other
    private static readonly Row[] Table =
    [
        new("GET", "/api/projects", "401 200 200 200 200 200", (w, _) => Sync(Json(HttpMethod.Get, "/api/projects"))),
        new("POST", "/api/projects", "401 403 403 201 201 201", (w, _) => Sync(Json(HttpMethod.Post, "/api/projects", "{\"title\": \"new\"}"))),
        new("GET", "/api/projects/{id:long}", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}"))),
        new("POST", "/api/projects/{id:long}/import", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Post, $"/api/projects/{w.ProjectA}/import", Fixtures.Tasks(1, "annotator@test.local")))),
        new("GET", "/api/projects/{id:long}/export", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/export"))),
        new("GET", "/api/projects/{id:long}/export/formats", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/export/formats"))),
        new("GET", "/api/projects/{id:long}/exports", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/exports"))),
        new("POST", "/api/projects/{id:long}/exports", "401 403 403 201 201 404", (w, _) => Sync(Json(HttpMethod.Post, $"/api/projects/{w.ProjectA}/exports", "{}"))),
        new("GET", "/api/projects/{id:long}/exports/{exportId:long}", "401 403 403 200 200 404", async (w, _) => Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/exports/{await SnapshotAsync(w)}")),
        new("DELETE", "/api/projects/{id:long}/exports/{exportId:long}", "401 403 403 204 204 404", async (w, _) => Json(HttpMethod.Delete, $"/api/projects/{w.ProjectA}/exports/{await SnapshotAsync(w)}")),
        new("GET", "/api/projects/{id:long}/exports/{exportId:long}/download", "401 403 403 200 200 404", async (w, _) => Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/exports/{await SnapshotAsync(w)}/download")),
        new("GET", "/api/projects/{id:long}/ground-truths", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/ground-truths"))),
        new("GET", "/api/projects/{id:long}/tasks", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/tasks"))),
        new("GET", "/api/projects/{id:long}/members", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/members"))),
        new("POST", "/api/projects/{id:long}/members", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Post, $"/api/projects/{w.ProjectA}/members", "{\"email\": \"spare@test.local\"}"))),
        new("DELETE", "/api/projects/{id:long}/members/{userId:long}", "401 403 403 204 204 404", async (w, _) =>
        {
            await w.Factory.Services.GetRequiredService<ProjectMemberService>().AddAsync(Actor.System, w.ProjectA, "spare@test.local");
            return Json(HttpMethod.Delete, $"/api/projects/{w.ProjectA}/members/{w.SpareUser}");
        }),
        new("GET", "/api/tasks", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/tasks?project={w.ProjectA}"))),
        new("GET", "/api/tasks/{id:long}", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/tasks/{w.TaskA}"))),
        new("GET", "/api/tasks/{id:long}/ground-truth-history", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/tasks/{w.TaskA}/ground-truth-history"))),
        new("GET", "/api/annotations/{id:long}", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/annotations/{w.AnnotationA}"))),
        new("GET", "/api/tasks/{id:long}/annotations", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/tasks/{w.TaskA}/annotations"))),
        new("PATCH", "/api/annotations/{id:long}", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Patch, $"/api/annotations/{w.AnnotationA}", "{\"ground_truth\": true}"))),
        new("GET", "/api/dm/actions", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/dm/actions?project={w.ProjectA}"))),
        new("GET", "/api/predictions", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/predictions?project={w.ProjectA}"))),
        new("GET", "/api/predictions/{id:long}", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/predictions/{w.PredictionA}"))),
        new("POST", "/api/dm/actions", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Post, $"/api/dm/actions?id=set_ground_truths&project={w.ProjectA}",
            "{\"selectedItems\": {\"all\": true}, \"annotator\": \"reviewer@test.local\", \"dry_run\": true}"))),
        new("GET", "/api/dm/views", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/dm/views?project={w.ProjectA}"))),
        new("POST", "/api/dm/views", "401 403 201 201 201 404", (w, _) => Sync(Json(HttpMethod.Post, "/api/dm/views", $"{{\"project\": {w.ProjectA}, \"data\": {{\"title\": \"mine\"}}}}"))),
        new("GET", "/api/dm/views/{id:long}", "401 200 200 200 200 404", async (w, _) => Json(HttpMethod.Get, $"/api/dm/views/{await ViewAsync(w)}")),
        new("PATCH", "/api/dm/views/{id:long}", "401 403 200 200 200 404", async (w, _) => Json(HttpMethod.Patch, $"/api/dm/views/{await ViewAsync(w)}", "{\"order\": 2}")),
        new("PUT", "/api/dm/views/{id:long}", "401 403 200 200 200 404", async (w, _) => Json(HttpMethod.Put, $"/api/dm/views/{await ViewAsync(w)}", "{\"data\": {\"title\": \"new\"}}")),
        new("DELETE", "/api/dm/views/{id:long}", "401 403 204 204 204 404", async (w, _) => Json(HttpMethod.Delete, $"/api/dm/views/{await ViewAsync(w)}")),
        new("GET", "/api/account", "401 200 200 200 200 200", (w, _) => Sync(Json(HttpMethod.Get, "/api/account"))),
        new("GET", "/api/account/tokens", "401 200 200 200 200 200", (w, _) => Sync(Json(HttpMethod.Get, "/api/account/tokens"))),
        new("POST", "/api/account/tokens", "401 201 201 201 201 201", (w, _) => Sync(Json(HttpMethod.Post, "/api/account/tokens", "{\"name\": \"script\"}"))),
        new("DELETE", "/api/account/tokens/{id:long}", "401 204 204 204 204 204", async (w, role) =>
        {
            var id = role == "anonymous" ? 1 : (await w.Factory.Services.GetRequiredService<ApiTokenService>().CreateAsync(w.Actors[role], "to revoke")).Token.Id;
            return Json(HttpMethod.Delete, $"/api/account/tokens/{id}");
        }),
        new("GET", "/api/projects/{id:long}/tasks/{taskId:long}/agreement-matrix", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/tasks/{w.TaskA}/agreement-matrix"))),
        new("GET", "/api/projects/{id:long}/stats/agreement-groundtruth", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/agreement-groundtruth"))),
        new("GET", "/api/projects/{id:long}/model-stats/{modelVersion}/agreement-groundtruth", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/model-stats/v1/agreement-groundtruth"))),
        new("GET", "/api/projects/{id:long}/stats/reliability", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/reliability?from_name=sentiment"))),
        new("GET", "/api/projects/{id:long}/analytics/data-quality/agreement-analysis/confusion-matrix", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/analytics/data-quality/agreement-analysis/confusion-matrix?from_name=sentiment"))),
        new("GET", "/api/projects/{id:long}/analytics/data-quality/agreement-analysis/distribution", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/analytics/data-quality/agreement-analysis/distribution"))),
        new("GET", "/api/projects/{id:long}/users/{userId:long}/stats/agreement-groundtruth", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/users/{w.SpareUser}/stats/agreement-groundtruth"))),
        new("GET", "/api/projects/{id:long}/model-stats/{modelVersion}/prediction", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/model-stats/v1/prediction"))),
        new("GET", "/api/projects/{id:long}/stats/agreement_annotators", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/agreement_annotators"))),
        new("GET", "/api/projects/{id:long}/stats/agreement_annotator/{userId:long}", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/agreement_annotator/{w.SpareUser}"))),
        new("GET", "/api/projects/{id:long}/stats/total_agreement", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/total_agreement"))),
        new("GET", "/api/projects/{id:long}/stats/IAA", "401 403 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/stats/IAA"))),
        new("GET", "/api/projects/{id:long}/scoring-settings", "401 200 200 200 200 404", (w, _) => Sync(Json(HttpMethod.Get, $"/api/projects/{w.ProjectA}/scoring-settings"))),
        new("PUT", "/api/projects/{id:long}/scoring-settings", "401 403 403 200 200 404", (w, _) => Sync(Json(HttpMethod.Put, $"/api/projects/{w.ProjectA}/scoring-settings", "{\"threshold\": 0.5}"))),
        new("GET", "/api/users", "401 403 403 403 200 403", (w, _) => Sync(Json(HttpMethod.Get, "/api/users"))),
        new("POST", "/api/users", "401 403 403 403 201 403", (w, role) => Sync(Json(HttpMethod.Post, "/api/users",
            $"{{\"email\": \"new-{role}@test.local\", \"password\": \"Password-1234\", \"role\": \"reviewer\"}}"))),
    ];

    private readonly ApiFactory _factory = new();
    private AccessWorld _world = null!;

    public async Task InitializeAsync() => _world = await AccessWorld.CreateAsync(_factory);

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public void Every_api_endpoint_has_a_row()
    {
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .Order(StringComparer.Ordinal);

        Assert.Equal(Table.Select(r => $"{r.Method} {r.Pattern}").Order(StringComparer.Ordinal), endpoints);
    }

    [Fact]
    public async Task Each_role_gets_the_expected_status_from_every_endpoint()
    {
        var failures = new List<string>();
        foreach (var row in Table)
        {
            var expected = row.Expected.Split(' ');
            for (var i = 0; i < AccessWorld.Roles.Length; i++)
            {
                var role = AccessWorld.Roles[i];
                using var response = await _world.Clients[role].SendAsync(await row.Request(_world, role));
                var actual = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (actual != expected[i])
                {
                    failures.Add($"{row.Method} {row.Pattern} as {role}: expected {expected[i]}, got {actual} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Only_managers_and_administrators_are_offered_the_bulk_actions()
    {
        foreach (var (role, expected) in new[] { ("annotator", 0), ("reviewer", 0), ("manager", 2), ("administrator", 2) })
        {
            var actions = JsonNode.Parse(await _world.Clients[role].GetStringAsync($"/api/dm/actions?project={_world.ProjectA}"))!.AsArray();
            Assert.True(expected == actions.Count, $"{role} is offered {actions.Count} actions");
        }
    }

    [Fact]
    public async Task A_member_of_another_project_does_not_see_it_in_the_list()
    {
        var list = await _world.Clients["other"].GetStringAsync("/api/projects");
        Assert.DoesNotContain("\"A\"", list, StringComparison.Ordinal);
        Assert.Contains("\"B\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_annotators_forged_ground_truth_request_changes_nothing()
    {
        var before = await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}");

        var response = await _world.Clients["annotator"].SendAsync(Json(HttpMethod.Patch, $"/api/annotations/{_world.AnnotationA}", "{\"ground_truth\": true}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("reviewer or above", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}"));
        Assert.Equal("[]", await _world.Clients["administrator"].GetStringAsync($"/api/tasks/{_world.TaskA}/ground-truth-history"));
    }

    [Fact]
    public async Task Another_projects_user_cannot_probe_annotator_emails_through_actions()
    {
        foreach (var email in new[] { "reviewer@test.local", "nobody@test.local" })
        {
            var response = await _world.Clients["other"].SendAsync(Json(HttpMethod.Post, $"/api/dm/actions?id=set_ground_truths&project={_world.ProjectA}",
                $"{{\"selectedItems\": {{\"all\": true}}, \"annotator\": \"{email}\", \"dry_run\": true}}"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    /// <summary>
    /// The annotator rule (GroundTruthVisibility), wherever an annotator reads: their own accuracy only, and no sign of
    /// which annotation is the ground truth — whether it is someone else's or their own.
    /// </summary>
    [Theory]
    [InlineData("reviewer@test.local")]
    [InlineData("annotator@test.local")]
    public async Task Annotators_see_their_own_accuracy_only_and_never_which_annotation_is_the_ground_truth(string groundTruthOf)
    {
        var admin = _world.Clients["administrator"];
        var annotator = _world.Clients["annotator"];
        var task = JsonNode.Parse(await admin.GetStringAsync($"/api/tasks/{_world.TaskA}"))!;
        long IdOf(JsonNode detail, string email) => detail["annotations"]!.AsArray().Single(a => a!["completed_by_email"]!.GetValue<string>() == email)!["id"]!.GetValue<long>();
        var groundTruth = IdOf(task, groundTruthOf);
        Assert.Equal(HttpStatusCode.OK, (await _world.Clients["reviewer"].SendAsync(Json(HttpMethod.Patch, $"/api/annotations/{groundTruth}", "{\"ground_truth\": true}"))).StatusCode);

        // Reviewers see the flag and everyone's accuracy.
        var reviewed = JsonNode.Parse(await _world.Clients["reviewer"].GetStringAsync($"/api/tasks/{_world.TaskA}"))!;
        Assert.Equal(groundTruth, reviewed["ground_truth_annotation"]!.GetValue<long>());

        var seen = JsonNode.Parse(await annotator.GetStringAsync($"/api/tasks/{_world.TaskA}"))!;
        Assert.True(seen["ground_truth"]!.GetValue<bool>()); // that the task has one is no secret
        Assert.Null(seen["ground_truth_annotation"]);
        Assert.All(seen["annotations"]!.AsArray(), a => Assert.False(a!["ground_truth"]!.GetValue<bool>()));
        var own = seen["annotations"]!.AsArray().Single(a => a!["completed_by_email"]!.GetValue<string>() == "annotator@test.local")!;
        Assert.Equal(groundTruthOf == "annotator@test.local" ? 1.0 : reviewed["annotations"]!.AsArray().Single(a => a!["id"]!.GetValue<long>() == own["id"]!.GetValue<long>())!["accuracy"]!.GetValue<double>(),
            own["accuracy"]!.GetValue<double>());
        Assert.NotNull(own["breakdown"]);
        Assert.All(seen["annotations"]!.AsArray().Where(a => a != own), a => Assert.Null(a!["accuracy"]));
        Assert.All(seen["predictions"]!.AsArray(), p => Assert.Null(p!["accuracy"]));

        var row = JsonNode.Parse(await annotator.GetStringAsync($"/api/tasks?project={_world.ProjectA}"))!["tasks"]!.AsArray().Single(t => t!["id"]!.GetValue<long>() == _world.TaskA)!;
        Assert.True(row["ground_truth"]!.GetValue<bool>());
        Assert.Null(row["ground_truth_annotation"]);
        Assert.Null(row["ground_truth_by"]);
        Assert.Null(row["accuracy"]);

        var matrix = JsonNode.Parse(await annotator.GetStringAsync($"/api/projects/{_world.ProjectA}/tasks/{_world.TaskA}/agreement-matrix"))!;
        Assert.False(matrix["ground_truth_shown"]!.GetValue<bool>());
        Assert.All(matrix["users"]!.AsArray(), p => Assert.False(p!["ground_truth"]!.GetValue<bool>()));
        Assert.Contains(JsonNode.Parse(await admin.GetStringAsync($"/api/projects/{_world.ProjectA}/tasks/{_world.TaskA}/agreement-matrix"))!["users"]!.AsArray(),
            p => p!["ground_truth"]!.GetValue<bool>());

        // Ranking tasks by accuracy would tell the same thing another way.
        foreach (var query in new[] { "{\"ordering\": [\"-tasks:accuracy\"]}", "{\"filters\": {\"conjunction\": \"and\", \"items\": [{\"filter\": \"filter:tasks:accuracy\", \"operator\": \"less\", \"type\": \"Number\", \"value\": 0.5}]}}" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await annotator.GetAsync($"/api/tasks?project={_world.ProjectA}&query={Uri.EscapeDataString(query)}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await _world.Clients["reviewer"].GetAsync($"/api/tasks?project={_world.ProjectA}&query={Uri.EscapeDataString(query)}")).StatusCode);
        }
    }

    [Fact]
    public async Task The_history_records_the_acting_user()
    {
        await _world.Clients["reviewer"].SendAsync(Json(HttpMethod.Patch, $"/api/annotations/{_world.AnnotationA}", "{\"ground_truth\": true}"));

        var history = await _world.Clients["reviewer"].GetStringAsync($"/api/tasks/{_world.TaskA}/ground-truth-history");

        Assert.Contains("\"changed_by\":\"reviewer@test.local\"", history, StringComparison.Ordinal);
    }
}
