using System.Text;
using GroundTruth.Core.Data;
using GroundTruth.Core.Demo;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Core;

/// <summary>
/// After an import, the jobs that follow it (rescoring, Set Ground Truths) read annotations a batch of tasks at a time.
/// Planned from a guess about tables never analyzed, PostgreSQL read every annotation for each batch: at 100k tasks
/// 257 ms a batch instead of 0.2 ms, and the same rescoring took 10.6 s one time and 24.5 s the next.
/// </summary>
public sealed class PlannerStatisticsTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [OnlyOn(DatabaseProvider.Postgres, "SQLite keeps no statistics unless told to, and then looks rows up by key through their index anyway")]
    public async Task After_an_import_a_batch_of_tasks_reads_its_annotations_by_index()
    {
        var project = await _db.NewProjectAsync();
        await _db.ImportAsync(project, Encoding.UTF8.GetString(DemoData.Generate(2000)));
        var batch = (await _db.TasksAsync(project)).Take(10).Select(t => t.Id).ToArray();

        // The jobs' own id list, as the dialect writes it.
        await using var db = _db.Context();
        await db.OpenConnectionAsync(CancellationToken.None);
        await using var explain = db.Command($"EXPLAIN SELECT a.id FROM annotations a WHERE a.task_id IN ({db.Dialect.IdList("@ids")})",
            [new("@ids", db.Dialect.Ids(batch))]);
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        Assert.DoesNotContain("Seq Scan on annotations", plan.ToString(), StringComparison.Ordinal);
    }
}
