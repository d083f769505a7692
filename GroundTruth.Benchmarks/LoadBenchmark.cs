using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace GroundTruth.Benchmarks;

/// <summary>
/// A team at once, against the real app (Release, Kestrel, SQLite or PostgreSQL): many reviewers starring and
/// unstarring while a manager sets ground truths over every task and another imports a large file, both as the jobs
/// they are, and someone pages the grid. Reports per kind of request the count, p50, p99 and the responses ≥ 500
/// (which must be none); then checks in SQL that every task has at most one ground truth, that the counters the
/// triggers keep are exact, and that each task's history replays to its final state. Before the load, sign-in timings:
/// a wrong password for a known email beside an unknown email.
/// </summary>
internal static partial class LoadBenchmark
{
    private const string Admin = "load-admin@bench.local";
    private const string Password = "Load-password-1";
    private const string Token = "gt_load_benchmark_admin_token_0123456789";

    public static async Task RunAsync(string folder, int seconds, int? cap, int clients, int tasks, int importTasks, string? postgres)
    {
        Directory.CreateDirectory(folder);
        var (provider, connectionString) = await FreshDatabaseAsync(folder, postgres);
        var source = Path.Combine(folder, $"tasks-{tasks}.json");
        if (!File.Exists(source))
        {
            BenchmarkData.Write(source, tasks);
        }
        var batch = Path.Combine(folder, $"tasks-{importTasks}-import.json");
        if (!File.Exists(batch))
        {
            BenchmarkData.Write(batch, importTasks, seed: 7);
        }
        Console.WriteLine($"## {provider}");
        Console.WriteLine();

        using var app = AppProcess.Start(provider, connectionString, new Dictionary<string, string>
        {
            ["GroundTruth__Admin__Email"] = Admin,
            ["GroundTruth__Admin__Password"] = Password,
            ["GroundTruth__Admin__Token"] = Token,
            // The load is one address; the sign-in timings below make 60 attempts from it.
            ["GroundTruth__SignIn__AttemptsPerMinute"] = "1000",
            // The preload of 1M tasks is a 2.1 GB file, over the 1 GiB default.
            ["GroundTruth__MaxImportBytes"] = (8L << 30).ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information", // "Now listening on", which AppProcess waits for
        }, out var baseUrl);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients + 8 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", Token);
            var project = (await Json(await http.PostAsync("/api/projects", Body("""{"title": "Load"}"""))))["id"]!.GetValue<long>();
            var preload = Stopwatch.StartNew();
            (await ImportAsync(http, project, source)).EnsureSuccessStatusCode();
            Console.WriteLine($"Imported {tasks:N0} tasks to start from in {preload.Elapsed.TotalSeconds:0} s.");
            Console.WriteLine();
            long[] annotations;
            await using (var db = await OpenAsync(provider, connectionString))
            {
                annotations = await AnnotationIdsAsync(db, project);
            }

            await SignInTimingsAsync(http, baseUrl);
            Console.WriteLine();
            await LoadAsync(http, project, annotations, batch, seconds, cap, clients, tasks, importTasks, () => CancelJobsAsync(provider, connectionString));
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
        Console.WriteLine();
        await using (var db = await OpenAsync(provider, connectionString))
        {
            await CheckInvariantsAsync(db);
        }
        Console.WriteLine();
    }

    /// <summary>An empty database for the app to migrate: a new SQLite file, or a new PostgreSQL database beside the given one.</summary>
    private static async Task<(string Provider, string ConnectionString)> FreshDatabaseAsync(string folder, string? postgres)
    {
        if (postgres is not null)
        {
            return ("Postgres", await PostgresDatabase.RecreateAsync(postgres, "groundtruth_load"));
        }
        var database = Path.GetFullPath(Path.Combine(folder, "load.db"));
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            File.Delete(file);
        }
        return ("Sqlite", $"Data Source={database}");
    }

    private static async Task<DbConnection> OpenAsync(string provider, string connectionString)
    {
        DbConnection connection = provider == "Postgres"
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<HttpResponseMessage> ImportAsync(HttpClient http, long project, string path)
    {
        await using var file = File.OpenRead(path);
        var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await http.PostAsync($"/api/projects/{project}/import", content);
    }

    private static async Task LoadAsync(HttpClient http, long project, long[] annotations, string batch, int seconds, int? cap, int clients, int tasks, int importTasks,
        Func<Task> cancelJobs)
    {
        var results = new ConcurrentQueue<(string Kind, double Ms, int Status)>();
        var until = Stopwatch.StartNew();
        var jobsRunning = 2;
        var capped = false;
        // The load lasts while either job runs (until the cap, if one is given), and at least the given seconds.
        bool Running() => (Volatile.Read(ref jobsRunning) > 0 && !Volatile.Read(ref capped)) || until.Elapsed < TimeSpan.FromSeconds(seconds);
        async Task Timed(string kind, Func<Task<HttpResponseMessage>> send)
        {
            var watch = Stopwatch.StartNew();
            int status;
            try
            {
                using var response = await send();
                await response.Content.ReadAsByteArrayAsync();
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 599; // the connection failed: counted with the server errors
            }
            results.Enqueue((kind, watch.Elapsed.TotalMilliseconds, status));
        }

        var reviewers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var rng = new Random(c);
            while (Running())
            {
                var star = rng.Next(3) != 0;
                var id = annotations[rng.Next(annotations.Length)];
                await Timed(star ? "star" : "unstar", () => http.PatchAsync($"/api/annotations/{id}", Body(star ? """{"ground_truth": true}""" : """{"ground_truth": false}""")));
            }
        }));
        var manager = Task.Run(async () =>
        {
            await Timed($"set ground truths, all {tasks:N0} tasks (a job; the request waits for it)", () => http.PostAsync($"/api/dm/actions?id=set_ground_truths&project={project}",
                Body($$"""{"selectedItems": {"all": true, "excluded": []}, "annotator": "{{BenchmarkData.Annotators[1]}}"}""")));
            Interlocked.Decrement(ref jobsRunning);
        });
        var importer = Task.Run(async () =>
        {
            await Timed($"import {importTasks:N0} tasks (a job; the request waits for it)", () => ImportAsync(http, project, batch));
            Interlocked.Decrement(ref jobsRunning);
        });
        var reader = Task.Run(async () =>
        {
            var rng = new Random(200);
            while (Running())
            {
                var page = rng.Next(1, 50);
                await Timed("grid page (ground truth = no, by agreement)", () => http.GetAsync($"/api/tasks?project={project}&page={page}&page_size=50&query=" +
                    Uri.EscapeDataString("""{"ground_truth": false, "ordering": ["-tasks:agreement"]}""")));
            }
        });
        var monitor = Task.Run(async () =>
        {
            while (cap is { } limit && Volatile.Read(ref jobsRunning) > 0 && until.Elapsed < TimeSpan.FromSeconds(limit))
            {
                await Task.Delay(500);
            }
            if (cap is not null && Volatile.Read(ref jobsRunning) > 0)
            {
                Volatile.Write(ref capped, true);
                await cancelJobs();
            }
        });
        await Task.WhenAll([.. reviewers, manager, importer, reader, monitor]);

        var all = results.ToList();
        Console.WriteLine($"| load: {clients} reviewers starring for {until.Elapsed.TotalSeconds:0} s during a Set Ground Truths and an import, grid pages ({tasks:N0} tasks at the start) | requests | p50 | p99 | max | ≥ 500 | other non-2xx |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var kind in all.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = kind.Select(r => r.Ms).Order().ToArray();
            Console.WriteLine($"| {kind.Key} | {times.Length:N0} | {Percentile(times, 0.50):0} ms | {Percentile(times, 0.99):0} ms | {times[^1]:0} ms | " +
                $"{kind.Count(r => r.Status >= 500)} | {kind.Count(r => r.Status is < 200 or (>= 300 and < 500))} |");
        }
        Console.WriteLine($"| all | {all.Count:N0} | | | | {all.Count(r => r.Status >= 500)} | {all.Count(r => r.Status is < 200 or (>= 300 and < 500))} |");
    }

    /// <summary>At the cap: each running job's progress, then a cancellation request as the page's Cancel makes it.</summary>
    private static async Task CancelJobsAsync(string provider, string connectionString)
    {
        await using DbConnection db = provider == "Postgres" ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await db.OpenAsync();
        Console.WriteLine("| job at the cap (then cancelled) | done | of |");
        Console.WriteLine("|---|---:|---:|");
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT kind, done, total FROM jobs WHERE state IN ('Queued', 'Running') ORDER BY id";
            await using var rows = await command.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                Console.WriteLine($"| {rows.GetString(0)} | {rows.GetInt64(1):N0} | {rows.GetInt64(2):N0} |");
            }
        }
        Console.WriteLine();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "UPDATE jobs SET cancel_requested = TRUE WHERE state IN ('Queued', 'Running')";
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Median sign-in times through the form: a wrong password for a known email, and an unknown email.</summary>
    private static async Task SignInTimingsAsync(HttpClient admin, string baseUrl)
    {
        (await admin.PostAsync("/api/users", Body("""{"email": "known@bench.local", "password": "Known-password-1", "role": "annotator"}"""))).EnsureSuccessStatusCode();
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            known.Add(await SignInMsAsync(baseUrl, "known@bench.local", "wrong-password-" + i));
            unknown.Add(await SignInMsAsync(baseUrl, $"nobody{i}@bench.local", "wrong-password-" + i));
        }
        Console.WriteLine("| sign-in, median of 30 (the first 5 wrong passwords, then the account is locked) | median |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| known email, wrong password | {Measure.Median(known):0} ms |");
        Console.WriteLine($"| unknown email | {Measure.Median(unknown):0} ms |");
        Console.WriteLine($"| known email while locked (attempts 6–30) | {Measure.Median(known.Skip(5)):0} ms |");
    }

    private static async Task<double> SignInMsAsync(string baseUrl, string email, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
        var token = AntiforgeryField().Match(await browser.GetStringAsync("/account/login")).Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        var watch = Stopwatch.StartNew();
        using var response = await browser.PostAsync("/account/login", form);
        await response.Content.ReadAsByteArrayAsync();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The invariants, read straight from the database after the load.</summary>
    private static async Task CheckInvariantsAsync(DbConnection db)
    {
        var several = await ScalarAsync(db, "SELECT COUNT(*) FROM (SELECT task_id FROM annotations WHERE ground_truth = TRUE GROUP BY task_id HAVING COUNT(*) > 1) AS several");
        var counters = await ScalarAsync(db, """
            SELECT COUNT(*) FROM tasks t WHERE
              t.total_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = FALSE)
              OR t.cancelled_annotations <> (SELECT COUNT(*) FROM annotations a WHERE a.task_id = t.id AND a.was_cancelled = TRUE)
              OR t.total_predictions <> (SELECT COUNT(*) FROM predictions p WHERE p.task_id = t.id)
              OR NOT EXISTS (SELECT 1 FROM score_sheets s WHERE s.task_id = t.id
                AND s.has_ground_truth = EXISTS (SELECT 1 FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE)
                AND s.ground_truth_annotation_id IS NOT DISTINCT FROM (SELECT a.id FROM annotations a WHERE a.task_id = t.id AND a.ground_truth = TRUE))
            """);
        var staged = await ScalarAsync(db, "SELECT (SELECT COUNT(*) FROM import_rows) + (SELECT COUNT(*) FROM projects WHERE import_for_project_id IS NOT NULL)");

        // Replay every task's history oldest first; it must be a valid sequence that ends where the task is.
        var final = new Dictionary<long, long?>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT task_id, ground_truth_annotation_id FROM score_sheets";
            await using var rows = await command.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                final[rows.GetInt64(0)] = rows.IsDBNull(1) ? null : rows.GetInt64(1);
            }
        }
        var replayed = new Dictionary<long, long?>();
        long changes = 0, invalid = 0;
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT task_id, kind, annotation_id, previous_annotation_id FROM ground_truth_changes ORDER BY task_id, id";
            await using var rows = await command.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                changes++;
                var (task, kind, annotation) = (rows.GetInt64(0), rows.GetString(1), rows.GetInt64(2));
                long? previous = rows.IsDBNull(3) ? null : rows.GetInt64(3);
                var current = replayed.GetValueOrDefault(task);
                var valid = kind switch
                {
                    "Set" => current is null,
                    "Replaced" => current == previous,
                    "Unset" => current == annotation,
                    _ => false,
                };
                invalid += valid ? 0 : 1;
                replayed[task] = kind == "Unset" ? null : annotation;
            }
        }
        var differing = final.Count(t => replayed.GetValueOrDefault(t.Key) != t.Value);
        Console.WriteLine("| after the load, in SQL | found | must be |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| tasks with more than one ground truth | {several} | 0 |");
        Console.WriteLine($"| tasks whose counters differ from a recount | {counters} | 0 |");
        Console.WriteLine($"| history rows that do not follow from the previous state (of {changes:N0}) | {invalid} | 0 |");
        Console.WriteLine($"| tasks whose replayed history ends elsewhere (of {final.Count:N0}) | {differing} | 0 |");
        Console.WriteLine($"| import rows and staging projects left behind | {staged} | 0 |");
    }

    private static async Task<long[]> AnnotationIdsAsync(DbConnection db, long project)
    {
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT a.id FROM annotations a JOIN tasks t ON t.id = a.task_id WHERE t.project_id = {project} AND a.was_cancelled = FALSE";
        var ids = new List<long>();
        await using var rows = await command.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            ids.Add(rows.GetInt64(0));
        }
        return [.. ids];
    }

    private static async Task<long> ScalarAsync(DbConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
