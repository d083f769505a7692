using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// A write that waits out its busy timeout behind another writer (a long import, a bulk action) answers 503 with
/// Retry-After — never a 500 — and changes nothing; reads go on meanwhile (WAL), and the same request succeeds once
/// the database is free. The wait is shortened to 1 s here (SQLite's busy timeout, PostgreSQL's lock_timeout); the
/// app's default is 30 s.
/// </summary>
public sealed class BusyDatabaseTests() : ApiProjectTest(
    new ApiFactory(connectionOptions: "Default Timeout=1", postgresOptions: "Options=-c lock_timeout=1000"), Fixtures.Tasks(3, "a@x.org", "b@x.org"))
{
    /// <summary>
    /// Holds what a long write holds, on another connection: SQLite's one write lock; on PostgreSQL the tables' EXCLUSIVE
    /// lock, which lets reads through and makes every write wait.
    /// </summary>
    private async Task<System.Data.Common.DbConnection> HoldWriteLockAsync()
    {
        var connection = await Factory.Store.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = TestStore.IsPostgres
            ? "BEGIN; LOCK TABLE projects, tasks, annotations, ground_truth_changes IN EXCLUSIVE MODE;"
            : "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Writes_behind_a_held_lock_answer_503_with_retry_after_and_succeed_once_it_is_released()
    {
        var task = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks?project={Project}"))!["tasks"]![0]!["id"]!.GetValue<long>();
        var annotation = JsonNode.Parse(await Admin.GetStringAsync($"/api/tasks/{task}"))!["annotations"]![1]!["id"]!.GetValue<long>();
        var before = await Admin.GetStringAsync($"/api/tasks/{task}");

        var writes = new (string Name, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("star", () => Admin.PatchAsync($"/api/annotations/{annotation}", Json("{\"ground_truth\": true}"))),
            ("bulk delete", () => Admin.PostAsync($"/api/dm/actions?id=delete_ground_truths&project={Project}", Json("{\"selectedItems\": {\"all\": true}}"))),
            ("import", () => Admin.PostAsync($"/api/projects/{Project}/import", Json(Fixtures.Tasks(2, "a@x.org")))),
            ("new project", () => Admin.PostAsync("/api/projects", Json("{\"title\": \"blocked\"}"))),
        };
        await using (var holder = await HoldWriteLockAsync())
        {
            foreach (var (name, send) in writes)
            {
                using var response = await send();
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
                var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal(503, problem["status"]!.GetValue<int>());
                Assert.Contains("busy", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
            // Reads are not blocked by a writer.
            Assert.Equal(before, await Admin.GetStringAsync($"/api/tasks/{task}"));
        }

        Assert.Equal(before, await Admin.GetStringAsync($"/api/tasks/{task}"));
        using var retried = await writes[0].Send();
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }
}
