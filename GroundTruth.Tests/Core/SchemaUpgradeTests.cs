using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Core;

/// <summary>A database written before score sheets existed opens with its results intact and every task scored.</summary>
public sealed class SchemaUpgradeTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "groundtruth-tests", $"upgrade-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _services = new ServiceCollection().AddLogging().AddGroundTruthCore($"Data Source={_path};Pooling=False").BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [OnlyOn(DatabaseProvider.Sqlite, "an upgrade through SQLite's earlier migrations; PostgreSQL starts at the current schema")]
    public async Task Results_move_beside_their_annotations_and_every_task_gets_its_score_sheet()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<GroundTruthDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync("20261127210406_TasksByProjectAndId");
            await db.Database.OpenConnectionAsync();
            await using var insert = db.Database.GetDbConnection().CreateCommand();
            insert.CommandText = """
                INSERT INTO projects (id, title, created_at) VALUES (1, 'Before', '2026-11-01 00:00:00');
                INSERT INTO members (id, email, display_name) VALUES (1, 'ann@x.org', 'Ann'), (2, 'bob@x.org', 'Bob');
                INSERT INTO tasks (id, project_id, inner_id, data, created_at, updated_at, total_annotations, cancelled_annotations, total_predictions, has_ground_truth)
                  VALUES (1, 1, 1, '{"text":"t"}', '2026-11-01 00:00:00', '2026-11-01 00:00:00', 0, 0, 0, 0);
                INSERT INTO annotations (id, task_id, member_id, result, extra, was_cancelled, ground_truth, created_at, updated_at)
                  VALUES (1, 1, 1, '[{"from_name":"c","to_name":"t","type":"choices","value":{"choices":["A"]}}]', '{"note":"kept"}', 0, 1, '2026-11-01 00:00:00', '2026-11-01 00:00:00'),
                         (2, 1, 2, '[{"from_name":"c","to_name":"t","type":"choices","value":{"choices":["B"]}}]', NULL, 0, 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00');
                INSERT INTO predictions (task_id, model_version, result, created_at)
                  VALUES (1, 'v1', '[{"from_name":"c","to_name":"t","type":"choices","value":{"choices":["A"]}}]', '2026-11-01 00:00:00');
                """;
            await insert.ExecuteNonQueryAsync();
        }

        await DatabaseInitializer.InitializeAsync(factory);

        var task = await _services.GetRequiredService<TaskQueryService>().GetTaskAsync(Actor.System, 1);
        Assert.Equal("""[{"from_name":"c","to_name":"t","type":"choices","value":{"choices":["B"]}}]""", task.Annotations[1].Result.GetRawText());
        Assert.Equal([null, 0.0], task.Annotations.Select(a => a.Accuracy));
        Assert.Equal(1.0, task.Predictions.Single().Accuracy);
        Assert.Equal(0.0, task.Agreement);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal("""{"note":"kept"}""", await db.Annotations.Where(a => a.Id == 1).Select(a => a.Extra).SingleAsync());
            Assert.Equal(0.0, await db.Tasks.Where(t => t.Id == 1).Select(t => t.Sheet!.MinAccuracy).SingleAsync());
        }

        // The triggers came through: moving the flag moves the task's ground-truth columns and lowest accuracy.
        await _services.GetRequiredService<GroundTruth.Core.GroundTruths.GroundTruthService>().SetAsync(Actor.System, 2, ChangeSource.Review);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var row = await db.Tasks.Include(t => t.Sheet).SingleAsync(t => t.Id == 1);
            Assert.Equal((2L, 0.0, 2), (row.Sheet!.GroundTruthAnnotationId!.Value, row.Sheet!.MinAccuracy!.Value, row.TotalAnnotations));
        }
    }
}
