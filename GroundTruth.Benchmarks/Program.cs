using System.Globalization;
using GroundTruth.Benchmarks;
using GroundTruth.Core.Data;

// A timed console run over generated data; every figure is a median over --runs runs (import at 1M: one run).
// Usage: dotnet run -c Release --project GroundTruth.Benchmarks -- --tasks 100000 [--tasks 1000000] [--runs 5] [--data bench-data]
//        dotnet run -c Release --project GroundTruth.Benchmarks -- --browser bench-data/bench-1000000.db [--runs 10] [--bulk yes]
//        dotnet run -c Release --project GroundTruth.Benchmarks -- --load 60 [--clients 50] [--tasks 1000000] [--import 100000] [--postgres "Host=…"]
//        --cap 900 ends the load after 900 s even if its jobs still run: they are cancelled as from the page, their
//        progress is reported, and the invariants are checked after the cancellation.
//        dotnet run -c Release --project GroundTruth.Benchmarks -- --memory 40   (the server's heap per open grid and review page)
//        --parts pages (any of export,pages,bulk,rescore,network) times only those after the import; network only up to 100k tasks.
//        --sqlite no leaves SQLite out (e.g. to profile PostgreSQL alone); the README's figures come from runs with both.
var sizes = new List<int>();
var runs = 5;
var folder = "bench-data";
string? browserDatabase = null;
int? memoryPages = null;
var bulk = false;
int? loadSeconds = null;
int? capSeconds = null;
var clients = 50;
var importTasks = 100_000;
string? postgres = null;
var sqlite = true;
HashSet<string> parts = ["export", "pages", "bulk", "rescore", "network"];
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
        case "--cap": capSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--clients": clients = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--import": importTasks = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--postgres": postgres = args[i + 1]; break;
        case "--sqlite": sqlite = args[i + 1] is "yes" or "true"; break;
        case "--memory": memoryPages = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--parts": parts = [.. args[i + 1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}.");
    }
}
if (memoryPages is { } open)
{
    // The server's memory per open page: many grids, then many review pages, open in Chromium at once.
    await MemoryBenchmark.RunAsync(open);
    return;
}
if (browserDatabase is not null)
{
    // The Data Manager in Chromium over a database the run below left behind, e.g. bench-data/bench-1000000.db.
    await BrowserBenchmark.RunAsync(browserDatabase, runs, bulk);
    return;
}
if (loadSeconds is { } seconds)
{
    // A team at once: reviewers starring during a Set Ground Truths and an import; then the invariants in SQL. SQLite,
    // then PostgreSQL when given.
    string?[] databases = [.. sqlite ? [null] : Array.Empty<string?>(), .. postgres is null ? [] : new[] { postgres }];
    foreach (var database in databases)
    {
        await LoadBenchmark.RunAsync(folder, seconds, capSeconds, clients, sizes.Count > 0 ? sizes[0] : 1_000_000, importTasks, database);
    }
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
var (sheets, allocated) = ComparerBenchmark.Sheets(runs);
Console.WriteLine($"| score sheet of a generated task (3 annotations, 1 prediction), parsed from text | {sheets:N0} tasks ({allocated / 1024:N1} KB allocated a task) |");
Console.WriteLine();
Console.WriteLine("| provider | tasks | measurement | median | target | raw SQL | ratio |");
Console.WriteLine("|---|---:|---|---:|---:|---:|---:|");
// Same generated file for each provider, one after the other, so the rows sit side by side.
var providers = new List<ServiceBenchmark>();
if (sqlite)
{
    providers.Add(new ServiceBenchmark(DatabaseProvider.Sqlite, null, folder, runs, parts));
}
if (postgres is not null)
{
    providers.Add(new ServiceBenchmark(DatabaseProvider.Postgres, postgres, folder, runs, parts));
}
foreach (var n in sizes)
{
    var source = Path.Combine(folder, $"tasks-{n}.json");
    if (!File.Exists(source))
    {
        BenchmarkData.Write(source, n);
    }
    foreach (var benchmark in providers)
    {
        await benchmark.RunAsync(n, source);
    }
}
