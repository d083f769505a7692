using System.Data.Common;
using System.Text.Json;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Jobs;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Benchmarks;

/// <summary>
/// The Core services on one provider over one generated file: import, export, task pages (against the same SQL run
/// raw), the bulk actions as the jobs they are, a single star and a full rescoring. Each import goes into a fresh
/// database; the last one stays for the rest.
/// </summary>
internal sealed class ServiceBenchmark(DatabaseProvider provider, string? postgres, string folder, int runs, IReadOnlySet<string> parts)
{
    public string Name => provider == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";

    public async Task RunAsync(int n, string source)
    {
        var importRuns = n >= 1_000_000 ? 1 : Math.Min(runs, 3);
        var importTimes = new List<double>();
        var importPeaks = new List<double>();
        var uploadTimes = new List<double>();
        var importCpu = new List<double>();
        var importFullCollections = new List<double>();
        ServiceProvider services = null!;
        long project = 0;
        for (var r = 0; r < importRuns; r++)
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }
            services = new ServiceCollection().AddLogging().AddGroundTruthCore(await FreshDatabaseAsync(n)).BuildServiceProvider();
            await DatabaseInitializer.InitializeAsync(services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>());
            project = (await services.GetRequiredService<ProjectService>().CreateAsync(Actor.System, $"bench {n}")).Id;
            var importer = services.GetRequiredService<LabelStudioImporter>();
            var (time, peak, _) = await Measure.RunAsync(async () =>
            {
                // The upload, with its job run here meanwhile as an app node would: the time until the tasks are there.
                // Also this process's CPU time: with the database's on the same 2 cores, it says whether waiting or CPU bounds the import.
                var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                var fullCollections = GC.CollectionCount(2);
                using var stop = new CancellationTokenSource();
                var running = Task.Run(() => services.GetRequiredService<JobRunner>().RunAsync(stop.Token));
                await using var file = File.OpenRead(source);
                var upload = System.Diagnostics.Stopwatch.StartNew();
                var job = await importer.StartAsync(Actor.System, project, file);
                uploadTimes.Add(upload.Elapsed.TotalSeconds);
                LabelStudioImporter.ResultOf(await services.GetRequiredService<JobService>().WaitAsync(job.Id));
                await stop.CancelAsync();
                await running;
                importCpu.Add((System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                importFullCollections.Add(GC.CollectionCount(2) - fullCollections);
            });
            importTimes.Add(time.TotalSeconds);
            importPeaks.Add(peak / 1024.0 / 1024.0);
        }
        // Bulk actions and rescoring are jobs: this process runs them, as an app node would.
        using var stopping = new CancellationTokenSource();
        var runner = Task.Run(() => services.GetRequiredService<JobRunner>().RunAsync(stopping.Token));
        try
        {
            Row(n, $"import ({n * 3:N0} annotations) as a job, {importRuns} run(s)", $"{Measure.Median(importTimes):0.0} s", n <= 100_000 ? "≤ 30 s" : "");
            Row(n, "… of which the upload (parse, validate, stage; the job writes meanwhile)", $"{Measure.Median(uploadTimes):0.0} s", "");
            Row(n, "… the app's CPU time meanwhile (all cores)", $"{Measure.Median(importCpu):0.0} s", "");
            // Full collections pause every thread, and a few large arrays a batch are enough to cause them.
            Row(n, "… full (gen 2) collections meanwhile", $"{Measure.Median(importFullCollections):0}", "");
            Row(n, "import peak working set", $"{Measure.Median(importPeaks):0} MB", n <= 100_000 ? "≤ 500 MB" : "");
            if (parts.Contains("export"))
            {
                await ExportAsync(services, n, project);
            }
            if (parts.Contains("pages"))
            {
                await PagesAsync(services, n, project);
            }
            if (parts.Contains("bulk"))
            {
                await BulkAsync(services, n, project);
            }
            if (parts.Contains("rescore"))
            {
                await RescoreAsync(services, n, project);
            }
            if (parts.Contains("network") && n <= 100_000)
            {
                await NetworkImportAsync(services, n, source);
            }
        }
        finally
        {
            await stopping.CancelAsync();
            await runner;
            await services.DisposeAsync();
        }
    }

    private async Task<DatabaseOptions> FreshDatabaseAsync(int n)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new DatabaseOptions(provider, await PostgresDatabase.RecreateAsync(postgres!, $"groundtruth_bench_{n}"));
        }
        SqliteConnection.ClearAllPools();
        var path = Path.Combine(folder, $"bench-{n}.db");
        foreach (var f in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(f);
        }
        return new DatabaseOptions(provider, $"Data Source={path}");
    }

    private async Task ExportAsync(ServiceProvider services, int n, long project)
    {
        var exporter = services.GetRequiredService<LabelStudioExporter>();
        var exportPath = Path.Combine(folder, "export.json");
        var times = new List<double>();
        var growth = new List<double>();
        for (var r = 0; r < (n >= 1_000_000 ? 1 : Math.Min(runs, 3)); r++)
        {
            var (time, peak, start) = await Measure.RunAsync(async () =>
            {
                await using var file = File.Create(exportPath);
                await exporter.ExportAsync(Actor.System, project, file);
            });
            times.Add(time.TotalSeconds);
            growth.Add((peak - start) / 1024.0 / 1024.0);
        }
        File.Delete(exportPath);
        Row(n, "export", $"{Measure.Median(times):0.0} s", n <= 100_000 ? "≤ 15 s" : "");
        Row(n, "export working set growth", $"+{Measure.Median(growth):0} MB", "");
    }

    /// <summary>The service (count + page + annotators + JSON) against the same two statements run raw.</summary>
    private async Task PagesAsync(ServiceProvider services, int n, long project)
    {
        var tasks = services.GetRequiredService<TaskQueryService>();
        await using var db = await services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
        var raw = db.Database.GetDbConnection();
        await raw.OpenAsync();
        foreach (var (name, query, page) in new (string, TaskQuery, int)[]
        {
            ("page 1 of 50, ground truth = yes, with total", GroundTruthFilter(true, ["tasks:id"]), 1),
            ("page 100 of 50, ground truth = no, by -id, with total", GroundTruthFilter(false, ["-tasks:id"]), 100),
            ("page 1 of 50, by -total_annotations, with total", new TaskQuery(null, ["-tasks:total_annotations"]), 1),
            // Label Studio's other filter columns (and ours, the ground truth's annotator), each on page 1 by id.
            ("page 1 of 50, annotated by one of 4 annotators, with total", Filter("annotators", "contains", "List", BenchmarkData.Annotators[1]), 1),
            ("page 1 of 50, ground truth by one annotator, with total", Filter("ground_truth_annotator", "contains", "List", BenchmarkData.Annotators[1]), 1),
            ("page 1 of 50, model version (every task's), with total", Filter("predictions_model_versions", "contains", "List", "bench-v1"), 1),
            ("page 1 of 50, prediction score ≥ 0.9, with total", Filter("predictions_score", "greater_or_equal", "Number", 0.9), 1),
            ("page 1 of 50, completed in the last half, with total", Filter("completed_at", "greater", "Datetime", CompletedHalfway(n)), 1),
            ("page 1 of 50, annotation results contain a label, with total", Filter("annotations_results", "contains", "String", "\"PER\""), 1),
            ("page 1 of 50, prediction results contain a rare text, with total", Filter("predictions_results", "contains", "String", "no such label"), 1),
        })
        {
            await tasks.GetPageAsync(Actor.System, project, query, page, 50);
            var serviceMs = await Measure.MedianMsAsync(runs * 4, () => tasks.GetPageAsync(Actor.System, project, query, page, 50));
            var compiled = TaskQueryCompiler.Compile(db.Dialect, project, query);
            var rawMs = await Measure.MedianMsAsync(runs * 4, async () =>
            {
                await using var count = Command(raw, $"SELECT COUNT(*) FROM {compiled.From} WHERE {compiled.Where}", compiled.Parameters);
                await count.ExecuteScalarAsync();
                await using var select = Command(raw, $"SELECT t.id, t.inner_id, t.data, t.total_annotations, t.cancelled_annotations, t.total_predictions, s.has_ground_truth, s.ground_truth_annotation_id, s.agreement, t.created_at, t.updated_at FROM {CompiledTaskQuery.TasksWithSheets} WHERE {compiled.Where} ORDER BY {compiled.OrderBy} LIMIT 50 OFFSET {(page - 1) * 50}", compiled.Parameters);
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                }
            });
            Row(n, name, $"{serviceMs:0.0} ms", "≤ 50 ms", $"{rawMs:0.0} ms", $"{serviceMs / rawMs:0.00}");
        }
    }

    /// <summary>Set by annotator over every task, then delete every ground truth; alternated so each run does real work.</summary>
    private async Task BulkAsync(ServiceProvider services, int n, long project)
    {
        var groundTruths = services.GetRequiredService<GroundTruthService>();
        var annotator = AnnotatorRef.ByEmail(BenchmarkData.Annotators[1]);
        var bulkRuns = n >= 1_000_000 ? Math.Min(runs, 3) : runs;
        var setTimes = new List<double>();
        var deleteTimes = new List<double>();
        var dryTimes = new List<double>();
        BulkResult? last = null;
        for (var r = 0; r < bulkRuns; r++)
        {
            dryTimes.Add(await Measure.MedianMsAsync(1, async () => last = await groundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, annotator, true)));
            setTimes.Add(await Measure.MedianMsAsync(1, () => groundTruths.SetByAnnotatorAsync(Actor.System, project, null, TaskSelection.Everything, annotator, false)));
            deleteTimes.Add(await Measure.MedianMsAsync(1, () => groundTruths.DeleteAsync(Actor.System, project, null, TaskSelection.Everything)));
        }
        Row(n, $"set ground truths by annotator, all {n:N0} selected (dry run)", $"{Measure.Median(dryTimes) / 1000:0.00} s", "");
        Row(n, $"set ground truths by annotator, all {n:N0} selected ({last?.Set + last?.Replaced:N0} written), as a job", $"{Measure.Median(setTimes) / 1000:0.00} s", n <= 100_000 ? "≤ 2 s" : "≤ 20 s");
        Row(n, $"delete ground truths, all {n:N0} selected, as a job", $"{Measure.Median(deleteTimes) / 1000:0.00} s", "");

        var single = await Measure.MedianMsAsync(runs * 10, async () =>
        {
            var id = Random.Shared.NextInt64(1, n * 3L);
            await groundTruths.SetAsync(Actor.System, id, ChangeSource.Review);
        });
        Row(n, "set one ground truth (review star), its scores following", $"{single:0.0} ms", "≤ 5 ms");
    }

    /// <summary>
    /// Two rescorings: after a setting that moves no score (a rescoring then writes nothing), and after one that moves
    /// most (the target's case); each row says how many tasks' scores changed.
    /// </summary>
    private async Task RescoreAsync(ServiceProvider services, int n, long project)
    {
        foreach (var (what, settings, target) in new (string, ScoringSettings, bool)[]
        {
            ("region threshold 0.5 → 0.6", new ScoringSettings(Threshold: 0.6), false),
            ("spans weighted 0", new ScoringSettings(Threshold: 0.6, Weights: new Dictionary<string, double> { ["ner"] = 0 }), true),
        })
        {
            var scoring = services.GetRequiredService<ScoringSettingsService>();
            await using var db = await services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>().CreateDbContextAsync();
            var raw = db.Database.GetDbConnection();
            await raw.OpenAsync();
            await ExecuteAsync(raw, "DROP TABLE IF EXISTS bench_scores");
            await ExecuteAsync(raw, $"CREATE TABLE bench_scores AS SELECT task_id AS id, agreement, min_accuracy FROM score_sheets WHERE project_id = {project}");
            var cpu = TimeSpan.Zero;
            var fullCollections = 0;
            var (time, peak, start) = await Measure.RunAsync(async () =>
            {
                cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                fullCollections = GC.CollectionCount(2);
                await scoring.UpdateAsync(Actor.System, project, settings);
                await scoring.WhenIdleAsync(project);
                cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
                fullCollections = GC.CollectionCount(2) - fullCollections;
            });
            var changed = Convert.ToInt64(await ExecuteAsync(raw, """
                SELECT COUNT(*) FROM score_sheets s JOIN bench_scores b ON b.id = s.task_id
                WHERE s.agreement IS DISTINCT FROM b.agreement OR s.min_accuracy IS DISTINCT FROM b.min_accuracy
                """), System.Globalization.CultureInfo.InvariantCulture);
            await ExecuteAsync(raw, "DROP TABLE bench_scores");
            Row(n, $"rescore the whole project ({n * 3:N0} annotations, {n:N0} predictions) after {what} ({changed:N0} tasks' scores changed), as a job", $"{time.TotalSeconds:0.0} s", target && n >= 1_000_000 ? "≤ 60 s" : "");
            Row(n, "… the app's CPU time meanwhile (all cores); full (gen 2) collections", $"{cpu.TotalSeconds:0.0} s; {fullCollections}", "");
            Row(n, "rescore peak working set (growth over its start)", $"{peak / 1024.0 / 1024.0:0} MB (+{(peak - start) / 1024.0 / 1024.0:0} MB)", "flat");
        }
    }

    /// <summary>
    /// The import of a file arriving at 100 Mbit/s, as through nginx: buffered whole before the app reads any of it
    /// (nginx's default), or passed on as it arrives (<c>proxy_request_buffering off</c>, as <c>deploy/</c> has it),
    /// when the job writes the tasks that have arrived while the rest is still on its way. Into projects of their own,
    /// after everything else.
    /// </summary>
    private async Task NetworkImportAsync(ServiceProvider services, int n, string source)
    {
        const double link = 100e6 / 8;
        var importer = services.GetRequiredService<LabelStudioImporter>();
        foreach (var streamed in new[] { false, true })
        {
            var project = (await services.GetRequiredService<ProjectService>().CreateAsync(Actor.System, $"bench {n} over the network")).Id;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Stream body = new PacedStream(File.OpenRead(source), link);
            if (!streamed)
            {
                var buffered = new MemoryStream();
                await body.CopyToAsync(buffered);
                await body.DisposeAsync();
                buffered.Position = 0;
                body = buffered;
            }
            await using (body)
            {
                await importer.ImportAsync(Actor.System, project, body);
            }
            var how = streamed ? "streamed to the app, the job writing as it arrives" : "buffered whole first (nginx's default)";
            Row(n, $"import of the {new FileInfo(source).Length / 1e6:0} MB file arriving at 100 Mbit/s, {how}", $"{clock.Elapsed.TotalSeconds:0.0} s", "");
        }
    }

    private static async Task<object?> ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = Command(connection, sql, []);
        return await command.ExecuteScalarAsync();
    }

    private static TaskQuery Filter(string column, string op, string type, object value) =>
        new(new TaskFilters("and", [new TaskFilterItem("filter:tasks:" + column, op, type, JsonSerializer.SerializeToElement(value))]), ["tasks:id"]);

    /// <summary>The generated annotations are made a second a task from 2025-01-01: the moment half of them are older.</summary>
    private static string CompletedHalfway(int n) => new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(n / 2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static TaskQuery GroundTruthFilter(bool value, IReadOnlyList<string> ordering) =>
        new(new TaskFilters("and", [new TaskFilterItem("filter:tasks:ground_truth", "equal", "Boolean", JsonSerializer.SerializeToElement(value))]), ordering);

    private static DbCommand Command(DbConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private void Row(int n, string what, string median, string target, string raw = "", string ratio = "") =>
        Console.WriteLine($"| {Name} | {n:N0} | {what} | {median} | {target} | {raw} | {ratio} |");
}
