using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Accounts;

public sealed class TokenAndLimitTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new(new Dictionary<string, string> { ["GroundTruth:MaxImportBytes"] = "2000" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_revoked_token_is_refused_at_once()
    {
        var admin = _factory.AdminClient();
        var created = JsonNode.Parse(await (await admin.PostAsJsonAsync("/api/account/tokens", new { name = "script" })).Content.ReadAsStringAsync())!;
        var key = created["key"]!.GetValue<string>();
        var id = created["token"]!["id"]!.GetValue<long>();
        var script = _factory.CreateClient();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/projects")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/account/tokens/{id}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/projects")).StatusCode);
        var listed = await admin.GetStringAsync("/api/account/tokens");
        Assert.DoesNotContain(key, listed, StringComparison.Ordinal);
        Assert.Contains("\"revoked_at\":\"", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_token_is_a_401_problem()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "gt_not_a_real_token_at_all_0000");

        var response = await client.GetAsync("/api/projects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_import_over_the_size_limit_is_a_clear_413()
    {
        var admin = _factory.AdminClient();
        var project = JsonNode.Parse(await (await admin.PostAsJsonAsync("/api/projects", new { title = "big" })).Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

        var response = await admin.PostAsync($"/api/projects/{project}/import", new StringContent(Fixtures.Tasks(40, "a@x.org"), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("Request too large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"task_count\":0", await admin.GetStringAsync($"/api/projects/{project}"), StringComparison.Ordinal);
    }

    [OnlyOn(GroundTruth.Core.Data.DatabaseProvider.Sqlite, "the app creates the SQLite file; PostgreSQL's files belong to its server")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_database_file_is_owner_only()
    {
        _ = _factory.Services; // starts the app, which creates the file
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_factory.DatabasePath));
    }
}
