using System.Globalization;
using System.Text.Json;
using GroundTruth.Benchmarks;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.ImportExport;
using GroundTruth.Core.Model;
using GroundTruth.Core.Projects;
using GroundTruth.Core.Scoring;
using GroundTruth.Core.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// A timed console run over generated data; every figure is a median over --runs runs (import at 1M: one run).
// Usage: dotnet run -c Release --project GroundTruth.Benchmarks -- --tasks 100000 [--tasks 1000000] [--runs 5] [--data bench-data]
//        dotnet run -c Release --project GroundTruth.Benchmarks -- --browser bench-data/bench-1000000.db [--runs 10] [--bulk yes]
//        dotnet run -c Release --project GroundTruth.Benchmarks -- --load 60 [--clients 50] [--tasks 20000]
var sizes = new List<int>();
var runs = 5;
var folder = "bench-data";
string? browserDatabase = null;
var bulk = false;
int? loadSeconds = null;
var clients = 50;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--tasks": sizes.Add(int.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
        case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--data": folder = args[i + 1]; break;
        case "--browser": browserDatabase = args[i + 1]; break;
        case "--bulk": bulk = args[i + 1] is "yes" or "true"; break;
        case "--load": loadSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--clients": clients = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown option {args[i]}.");
    }
}
if (browserDatabase is not null)
{
    // The Data Manager in Chromium over a database the run below left behind, e.g. bench-data/bench-1000000.db.
    await BrowserBenchmark.RunAsync(browserDatabase, runs, bulk);
    return;
}
if (loadSeconds is { } seconds)
{
    // A team at once: reviewers starring while bulk actions, imports and grid pages run; then the invariants in SQL.
    await LoadBenchmark.RunAsync(folder, seconds, clients, sizes.Count > 0 ? sizes[0] : 20_000);
    return;
}
if (sizes.Count == 0)
{
    sizes.Add(100_000);
}
Directory.CreateDirectory(folder);
Console.WriteLine($"GroundTruth benchmarks · {Environment.ProcessorCount} cores · {DateTime.UtcNow:yyyy-MM-dd} · medians of {runs} runs");
Console.WriteLine();
Console.WriteLine("| comparer (parsed results, one core) | pairs per second, median |");
Console.WriteLine("|---|---:|");
foreach (var (name, rate) in ComparerBenchmark.Run(runs))
{
    Console.WriteLine($"| {name} | {rate:N0} |");
}
Console.WriteLine();
Console.WriteLine("| tasks | measurement | median | target | raw SQL | ratio |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|");

foreach (var n in sizes)
{
    var source = Path.Combine(folder, $"tasks-{n}.json");
    if (!File.Exists(source))
    {
        BenchmarkData.Write(source, n);
    }

    // Import: each run into a fresh database file; the last one stays for the queries.
    var importRuns = n >= 1_000_000 ? 1 : Math.Min(runs, 3);
    var importTimes = new List<double>();
    var importPeaks = new List<double>();
    ServiceProvider services = null!;
    string dbPath = "";
    long project = 0;
    for (var r = 0; r < importRuns; r++)
    {
        services?.Dispose();
        SqliteConnection.ClearAllPools();
        dbPath = Path.Combine(folder, $"bench-{n}.db");
        foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
        {
            File.Delete(f);
        }
        services = new ServiceCollection().AddLogging().AddGroundTruthCore($"Data Source={dbPath}").BuildServiceProvider();
        await DatabaseInitializer.InitializeAsync(services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>());
        project = (await services.GetRequiredService<ProjectService>().CreateAsync(Actor.System, $"bench {n}")).Id;
        var importer = services.GetRequiredService<LabelStudioImporter>();
        var (time, peak, _) = await Measure.RunAsync(async () =>
        {
            await using var file = File.OpenRead(source);
            await importer.ImportAsync(Actor.System, project, file);
        });
        importTimes.Add(time.TotalSeconds);
        importPeaks.Add(peak / 1024.0 / 1024.0);
    }
    Row(n, $"import ({n * 3:N0} annotations), {importRuns} run(s)", $"{Measure.Median(importTimes):0.0} s", n <= 100_000 ? "≤ 30 s" : "");
    Row(n, "import peak working set", $"{Measure.Median(importPeaks):0} MB", n <= 100_000 ? "≤ 500 MB" : "");

    var exporter = services.GetRequiredService<LabelStudioExporter>();
    var exportPath = Path.Combine(folder, "export.json");
    var exportTimes = new List<double>();
    var exportGrowth = new List<double>();
    for (var r = 0; r < (n >= 1_000_000 ? 1 : Math.Min(runs, 3)); r++)
    {
        var (time, peak, start) = await Measure.RunAsync(async () =>
        {
            await using var file = File.Create(exportPath);
            await exporter.ExportAsync(Actor.System, project, file);
        });
        exportTimes.Add(time.TotalSeconds);
        exportGrowth.Add((peak - start) / 1024.0 / 1024.0);
    }
    File.Delete(exportPath);
    Row(n, "export", $"{Measure.Median(exportTimes):0.0} s", n <= 100_000 ? "≤ 15 s" : "");
    Row(n, "export working set growth", $"+{Measure.Median(exportGrowth):0} MB", "");

    // Pages: the service (count + page + annotators + JSON) against the same two statements run raw.
    var tasks = services.GetRequiredService<TaskQueryService>();
    await using var raw = new SqliteConnection($"Data Source={dbPath}");
    await raw.OpenAsync();
    foreach (var (name, query, page) in new (string, TaskQuery, int)[]
    {
        ("page 1 of 50, ground truth = yes, with total", GroundTruthFilter(true, ["tasks:id"]), 1),
        ("page 100 of 50, ground truth = no, by -id, with total", GroundTruthFilter(false, ["-tasks:id"]), 100),
        ("page 1 of 50, by -total_annotations, with total", new TaskQuery(null, ["-tasks:total_annotations"]), 1),
    })
    {
        await tasks.GetPageAsync(Actor.System, project, query, page, 50);
        var serviceMs = await Measure.MedianMsAsync(runs * 4, () => tasks.GetPageAsync(Actor.System, project, query, page, 50));
        var compiled = TaskQueryCompiler.Compile(GroundTruth.Core.Data.Sqlite.SqliteDialect.Instance, project, query);
        var rawMs = await Measure.MedianMsAsync(runs * 4, async () =>
        {
            await using var count = Command(raw, $"SELECT COUNT(*) FROM tasks t WHERE {compiled.Where}", compiled.Parameters);
            await count.ExecuteScalarAsync();
            await using var select = Command(raw, $"SELECT t.id, t.inner_id, t.data, t.total_annotations, t.cancelled_annotations, t.total_predictions, t.has_ground_truth, t.ground_truth_annotation_id, t.created_at, t.updated_at FROM tasks t WHERE {compiled.Where} ORDER BY {compiled.OrderBy} LIMIT 50 OFFSET {(page - 1) * 50}", compiled.Parameters);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        });
        Row(n, name, $"{serviceMs:0.0} ms", "≤ 50 ms", $"{rawMs:0.0} ms", $"{serviceMs / rawMs:0.00}");
    }

    // Bulk: set by annotator over every task, then delete every ground truth; alternated so each run does real work.
    var groundTruths = services.GetRequiredService<GroundTruthService>();
    var annotator = await services.GetRequiredService<ProjectService>().FindMemberIdAsync(BenchmarkData.Annotators[1]) ?? 0;
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
    Row(n, $"set ground truths by annotator, all {n:N0} selected ({last?.Set + last?.Replaced:N0} written)", $"{Measure.Median(setTimes) / 1000:0.00} s", n <= 100_000 ? "≤ 2 s" : "≤ 20 s");
    Row(n, $"delete ground truths, all {n:N0} selected", $"{Measure.Median(deleteTimes) / 1000:0.00} s", "");

    var single = await Measure.MedianMsAsync(runs * 10, async () =>
    {
        var id = Random.Shared.NextInt64(1, n * 3L);
        await groundTruths.SetAsync(Actor.System, id, ChangeSource.Review);
    });
    Row(n, "set one ground truth (review star), its scores following", $"{single:0.0} ms", "≤ 5 ms");

    // Full rescoring after a change of scoring settings, in the background, one batch per transaction.
    var scoring = services.GetRequiredService<ScoringSettingsService>();
    var (rescoreTime, rescorePeak, rescoreStart) = await Measure.RunAsync(async () =>
    {
        await scoring.UpdateAsync(Actor.System, project, new ScoringSettings(Threshold: 0.6));
        await scoring.WhenIdleAsync(project);
    });
    Row(n, $"rescore the whole project ({n * 3:N0} annotations, {n:N0} predictions), 1 run", $"{rescoreTime.TotalSeconds:0.0} s", n >= 1_000_000 ? "≤ 60 s" : "");
    Row(n, "rescore peak working set (growth over its start)", $"{rescorePeak / 1024.0 / 1024.0:0} MB (+{(rescorePeak - rescoreStart) / 1024.0 / 1024.0:0} MB)", "flat");
    await services.DisposeAsync();
}

static TaskQuery GroundTruthFilter(bool value, IReadOnlyList<string> ordering) =>
    new(new TaskFilters("and", [new TaskFilterItem("filter:tasks:ground_truth", "equal", "Boolean", JsonSerializer.SerializeToElement(value))]), ordering);

static SqliteCommand Command(SqliteConnection connection, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters)
{
    var command = connection.CreateCommand();
    command.CommandText = sql;
    foreach (var (name, value) in parameters)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
    }
    return command;
}

static void Row(int n, string what, string median, string target, string raw = "", string ratio = "") =>
    Console.WriteLine($"| {n:N0} | {what} | {median} | {target} | {raw} | {ratio} |");
