using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.GroundTruths;
using GroundTruth.Core.Model;
using GroundTruth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Tests.Core;

public sealed class GroundTruthServiceTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Set_makes_the_annotation_ground_truth_and_updates_the_task()
    {
        var project = await _db.SeedAsync(1, "ann@x.org", "bob@x.org");
        var (first, _) = await FirstTwoAsync(project);

        Assert.True(await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review));

        var task = (await _db.TasksAsync(project)).Single();
        Assert.True(task.Sheet!.HasGroundTruth);
        Assert.Equal(first, task.Sheet!.GroundTruthAnnotationId);
        var change = Assert.Single(await _db.GroundTruths.HistoryAsync(Actor.System, task.Id));
        Assert.Equal((GroundTruthChangeKind.Set, first, (long?)null, ChangeSource.Review, "system"),
            (change.Kind, change.AnnotationId, change.PreviousAnnotationId, change.Source, change.ChangedBy));
    }

    [Fact]
    public async Task Setting_another_annotation_moves_the_star_in_one_change()
    {
        var project = await _db.SeedAsync(1, "ann@x.org", "bob@x.org");
        var (first, second) = await FirstTwoAsync(project);
        await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review);

        Assert.True(await _db.GroundTruths.SetAsync(Actor.System, second, ChangeSource.Review));

        var annotations = await _db.AnnotationsAsync(project);
        Assert.Equal([false, true], annotations.Select(a => a.GroundTruth));
        var task = (await _db.TasksAsync(project)).Single();
        Assert.Equal(second, task.Sheet!.GroundTruthAnnotationId);
        var history = await _db.GroundTruths.HistoryAsync(Actor.System, task.Id);
        Assert.Equal([GroundTruthChangeKind.Replaced, GroundTruthChangeKind.Set], history.Select(c => c.Kind));
        Assert.Equal(first, history[0].PreviousAnnotationId);
    }

    [Fact]
    public async Task Setting_the_current_ground_truth_again_changes_and_records_nothing()
    {
        var project = await _db.SeedAsync(1, "ann@x.org");
        var (first, _) = await FirstTwoAsync(project);
        await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review);

        Assert.False(await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review));

        Assert.Single(await _db.GroundTruths.HistoryAsync(Actor.System, (await _db.TasksAsync(project)).Single().Id));
    }

    [Fact]
    public async Task Unset_removes_the_flag_and_keeps_the_annotation()
    {
        var project = await _db.SeedAsync(1, "ann@x.org");
        var (first, _) = await FirstTwoAsync(project);
        await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review);

        Assert.True(await _db.GroundTruths.UnsetAsync(Actor.System, first, ChangeSource.Review));
        Assert.False(await _db.GroundTruths.UnsetAsync(Actor.System, first, ChangeSource.Review));

        var task = (await _db.TasksAsync(project)).Single();
        Assert.False(task.Sheet!.HasGroundTruth);
        Assert.Null(task.Sheet!.GroundTruthAnnotationId);
        Assert.Equal(1, task.TotalAnnotations);
        Assert.Equal([GroundTruthChangeKind.Unset, GroundTruthChangeKind.Set], (await _db.GroundTruths.HistoryAsync(Actor.System, task.Id)).Select(c => c.Kind));
    }

    [Fact]
    public async Task A_cancelled_annotation_cannot_be_ground_truth()
    {
        var project = await _db.NewProjectAsync();
        await _db.ImportAsync(project, new JsonArray(new JsonObject
        {
            ["data"] = new JsonObject { ["text"] = "x" },
            ["annotations"] = new JsonArray(Fixtures.Annotation("ann@x.org", "A", cancelled: true)),
        }).ToJsonString());
        var cancelled = (await _db.AnnotationsAsync(project)).Single();

        await Assert.ThrowsAsync<ConflictException>(() => _db.GroundTruths.SetAsync(Actor.System, cancelled.Id, ChangeSource.Review));

        var task = (await _db.TasksAsync(project)).Single();
        Assert.Equal((0, 1, false), (task.TotalAnnotations, task.CancelledAnnotations, task.Sheet!.HasGroundTruth));
    }

    [Fact]
    public async Task Unknown_ids_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.SetAsync(Actor.System, 424242, ChangeSource.Review));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.UnsetAsync(Actor.System, 424242, ChangeSource.Review));
        await Assert.ThrowsAsync<NotFoundException>(() => _db.GroundTruths.HistoryAsync(Actor.System, 424242));
    }

    [Fact]
    public async Task The_database_rejects_a_second_ground_truth_written_behind_the_service()
    {
        var project = await _db.SeedAsync(1, "ann@x.org", "bob@x.org");
        var (first, second) = await FirstTwoAsync(project);
        await _db.GroundTruths.SetAsync(Actor.System, first, ChangeSource.Review);

        await using var db = _db.Context();
        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            db.Database.ExecuteSqlInterpolatedAsync($"UPDATE annotations SET ground_truth = TRUE WHERE id = {second}"));
        Assert.Contains("unique", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([true, false], (await _db.AnnotationsAsync(project)).Select(a => a.GroundTruth));
    }

    [Fact]
    public async Task A_flag_written_behind_the_service_still_moves_the_lowest_accuracy()
    {
        // ann and cat agree (choice A), bob does not: with ann as ground truth the lowest accuracy is bob's 0.
        var project = await _db.NewProjectAsync();
        await _db.ImportAsync(project, $"[{{\"data\":{{\"text\":\"t\"}},\"annotations\":[{Fixtures.Annotation("ann@x.org", "A").ToJsonString()},{Fixtures.Annotation("bob@x.org", "B").ToJsonString()},{Fixtures.Annotation("cat@x.org", "A").ToJsonString()}]}}]");
        var ids = (await _db.AnnotationsAsync(project)).Select(a => a.Id).ToList();
        await using var db = _db.Context();

        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE annotations SET ground_truth = TRUE WHERE id = {ids[0]}");
        Assert.Equal(0, (await _db.TasksAsync(project)).Single().Sheet!.MinAccuracy);
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE annotations SET ground_truth = FALSE WHERE id = {ids[0]}");
        Assert.Null((await _db.TasksAsync(project)).Single().Sheet!.MinAccuracy);
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE annotations SET ground_truth = TRUE WHERE id = {ids[1]}");
        Assert.Equal(0, (await _db.TasksAsync(project)).Single().Sheet!.MinAccuracy);
    }

    [Fact]
    public async Task A_task_inserted_after_its_annotations_counts_them_whatever_the_insert_says()
    {
        // As an import writes a chunk: annotations and a prediction first (their task keys deferred), the task last,
        // claiming counts it does not have. The database counts what is there.
        await _db.SeedAsync(1, "ann@x.org");
        var member = await _db.MemberIdAsync("ann@x.org");
        var project = await _db.NewProjectAsync();
        await using var db = _db.Context();
        await using var tx = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync(db.Dialect.DeferTaskKeys);
        const long task = 900_001;
        var at = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var (id, cancelled, groundTruth) in new[] { (900_001L, false, false), (900_002L, true, false), (900_003L, false, true) })
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO annotations (id, task_id, member_id, was_cancelled, ground_truth, created_at, updated_at)
                VALUES ({id}, {task}, {member}, {cancelled}, {groundTruth}, {at}, {at})
                """);
        }
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO predictions (id, task_id, model_version, result, created_at) VALUES (900001, {task}, 'm', '[]', {at})");
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO tasks (id, project_id, inner_id, data, created_at, updated_at, total_annotations, cancelled_annotations, total_predictions)
            VALUES ({task}, {project}, 1, {"{}"}, {at}, {at}, 7, 7, 7)
            """);
        // Its sheet, claiming no ground truth: the database finds it.
        db.ScoreSheets.Add(new GroundTruth.Core.Model.TaskScoreSheet { TaskId = task, ProjectId = project, HasGroundTruth = false });
        await db.SaveChangesAsync();
        await tx.CommitAsync();

        var written = (await _db.TasksAsync(project)).Single();
        Assert.Equal((2, 1, 1, true, 900_003L), (written.TotalAnnotations, written.CancelledAnnotations, written.TotalPredictions, written.Sheet!.HasGroundTruth, written.Sheet!.GroundTruthAnnotationId));
    }

    [Fact]
    public async Task The_database_rejects_a_cancelled_ground_truth_written_behind_the_service()
    {
        var project = await _db.SeedAsync(1, "ann@x.org");
        var (first, _) = await FirstTwoAsync(project);
        await using var db = _db.Context();

        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            db.Database.ExecuteSqlInterpolatedAsync($"UPDATE annotations SET ground_truth = TRUE, was_cancelled = TRUE WHERE id = {first}"));

        Assert.Contains("ck_annotations_cancelled_not_ground_truth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eight_concurrent_writers_leave_one_ground_truth_per_task_and_a_history_that_replays()
    {
        var project = await _db.SeedAsync(4, "a@x.org", "b@x.org", "c@x.org", "d@x.org");
        var annotations = await _db.AnnotationsAsync(project);
        var ids = annotations.Select(a => a.Id).ToArray();

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w);
            for (var i = 0; i < 200; i++)
            {
                var id = ids[rng.Next(ids.Length)];
                _ = rng.Next(3) == 0 ? await _db.GroundTruths.UnsetAsync(Actor.System, id, ChangeSource.Review) : await _db.GroundTruths.SetAsync(Actor.System, id, ChangeSource.Review);
            }
        }));
        await Task.WhenAll(writers);

        var final = await _db.AnnotationsAsync(project);
        var tasks = await _db.TasksAsync(project);
        foreach (var task in tasks)
        {
            var flagged = final.Where(a => a.TaskId == task.Id && a.GroundTruth).Select(a => (long?)a.Id).ToList();
            Assert.True(flagged.Count <= 1, $"task {task.Id} has {flagged.Count} ground truths");
            Assert.Equal(flagged.SingleOrDefault(), task.Sheet!.GroundTruthAnnotationId);

            // Replay the history oldest first: it must end where the database is.
            long? replayed = null;
            foreach (var change in (await _db.GroundTruths.HistoryAsync(Actor.System, task.Id)).Reverse())
            {
                switch (change.Kind)
                {
                    case GroundTruthChangeKind.Set:
                        Assert.Null(replayed);
                        replayed = change.AnnotationId;
                        break;
                    case GroundTruthChangeKind.Replaced:
                        Assert.Equal(replayed, change.PreviousAnnotationId);
                        replayed = change.AnnotationId;
                        break;
                    case GroundTruthChangeKind.Unset:
                        Assert.Equal(replayed, change.AnnotationId);
                        replayed = null;
                        break;
                }
            }
            Assert.Equal(task.Sheet!.GroundTruthAnnotationId, replayed);
        }
    }

    private async Task<(long First, long Second)> FirstTwoAsync(long project)
    {
        var ids = (await _db.AnnotationsAsync(project)).Select(a => a.Id).ToList();
        return (ids[0], ids.Count > 1 ? ids[1] : 0);
    }
}
