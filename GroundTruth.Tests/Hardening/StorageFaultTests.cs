using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using GroundTruth.Core.Data;
using GroundTruth.Tests.Support;
using Microsoft.Data.Sqlite;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// Storage that fails: a full disk is a 507 that says so with nothing half-written, and a database the app cannot use
/// at start-up is one line naming the file and the problem, and a non-zero exit code — not a stack trace.
/// </summary>
public sealed class StorageFaultTests
{
    /// <summary>A task whose text makes an import of a few hundred of them outgrow a 6 MB disk.</summary>
    private static string LargeTasks(int count)
    {
        var tasks = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            tasks.Add(new JsonObject { ["data"] = new JsonObject { ["text"] = $"{i} " + new string('x', 20_000) }, ["annotations"] = new JsonArray(Fixtures.Annotation("a@x.org", "A")) });
        }
        return tasks.ToJsonString();
    }

    [NeedsRootFact]
    public async Task A_full_disk_is_a_507_that_says_so_and_leaves_nothing_half_written()
    {
        using var disk = new TinyDisk(megabytes: 6);
        await using var factory = new ApiFactory(folder: disk.Folder);
        using var admin = factory.AdminClient();
        var project = await factory.CreateProjectAsync("Full", Fixtures.Tasks(3, "a@x.org", "b@x.org"));
        var before = await factory.SnapshotAsync();

        var response = await admin.PostAsync($"/api/projects/{project}/import", new StringContent(LargeTasks(400), Encoding.UTF8, "application/json"));

        var problem = await EverythingReads.ExpectAsync(response, HttpStatusCode.InsufficientStorage);
        Assert.Contains("storage is full", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await factory.SnapshotAsync());
        await EverythingReads.AssertApiAsync(admin, project);
        // A small write still fits once the failed one is rolled back.
        var star = JsonNode.Parse(await admin.GetStringAsync($"/api/tasks?project={project}"))!["tasks"]![0]!["id"]!.GetValue<long>();
        var annotation = JsonNode.Parse(await admin.GetStringAsync($"/api/tasks/{star}"))!["annotations"]![0]!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync($"/api/annotations/{annotation}", new StringContent("{\"ground_truth\": true}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    /// <summary>Starts the app as its own process on <paramref name="database"/>; returns its exit code and what it printed.</summary>
    private static Task<(int ExitCode, string Output, string Errors)> StartAppAsync(string database) =>
        StartAppAsync(DatabaseProvider.Sqlite, $"Data Source={database}");

    private static Task<(int ExitCode, string Output, string Errors)> StartAppAsync(DatabaseProvider provider, string connectionString,
        IReadOnlyDictionary<string, string>? settings = null) =>
        AppNode.RunUntilExitAsync(provider, connectionString, "The app kept running on a database it cannot use.", settings);

    private static void AssertOneClearLine((int ExitCode, string Output, string Errors) run, string database, string problem)
    {
        Assert.NotEqual(0, run.ExitCode);
        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith($"GroundTruth cannot start: the database {database} ", line, StringComparison.Ordinal);
        Assert.Contains(problem, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", run.Output, StringComparison.Ordinal);
    }

    [NeedsRootFact]
    public async Task A_read_only_database_stops_start_up_with_one_line_and_a_non_zero_exit()
    {
        using var disk = new TinyDisk(megabytes: 8);
        var database = Path.Combine(disk.Folder, "groundtruth.db");
        await using (var made = new ApiFactory(folder: disk.Folder, databaseName: "groundtruth.db"))
        {
            _ = made.Services; // migrates
        }
        SqliteConnection.ClearAllPools();
        disk.MakeReadOnly();

        AssertOneClearLine(await StartAppAsync(database), database, "cannot be opened");
    }

    [Fact]
    public async Task A_postgres_server_that_cannot_be_reached_stops_start_up_with_one_line_and_a_non_zero_exit()
    {
        // Port 9 (discard) on this machine: nothing listens there.
        AssertOneClearLine(await StartAppAsync(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=9;Database=groundtruth;Username=groundtruth;Timeout=3"),
            "groundtruth on 127.0.0.1:9", "cannot be reached");
    }

    [OnlyOn(DatabaseProvider.Sqlite, "a SQLite file in place of the database")]
    public async Task A_file_that_is_not_a_database_stops_start_up_with_one_line_and_a_non_zero_exit()
    {
        var folder = Directory.CreateTempSubdirectory("groundtruth-notdb-").FullName;
        try
        {
            var database = Path.Combine(folder, "groundtruth.db");
            await File.WriteAllTextAsync(database, "these are somebody's notes, not a database\n");

            AssertOneClearLine(await StartAppAsync(database), database, "is not a usable SQLite database");
            Assert.Equal("these are somebody's notes, not a database\n", await File.ReadAllTextAsync(database));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_first_administrator_with_a_weak_password_stops_start_up_with_one_line_naming_the_setting()
    {
        // A fresh SQLite file whatever the run's provider: what is checked is the setting, not the database.
        var folder = Directory.CreateTempSubdirectory("groundtruth-admin-").FullName;
        try
        {
            var run = await StartAppAsync(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "groundtruth.db")}", new Dictionary<string, string>
            {
                ["GroundTruth__Admin__Email"] = "admin@example.org",
                ["GroundTruth__Admin__Password"] = "choose-a-long-one",
            });

            Assert.NotEqual(0, run.ExitCode);
            var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith("GroundTruth cannot start: GroundTruth:Admin is not usable: ", line, StringComparison.Ordinal);
            Assert.Contains("at least one digit", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.Output + run.Errors, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [OnlyOn(DatabaseProvider.Sqlite, "the folder of a SQLite file")]
    public async Task A_database_folder_that_cannot_be_made_stops_start_up_with_one_line()
    {
        var file = Path.GetTempFileName(); // a file where the database's folder should be
        try
        {
            var database = Path.Combine(file, "groundtruth.db");
            AssertOneClearLine(await StartAppAsync(database), database, "cannot be created or opened");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
