using GroundTruth.Core.Model;
using GroundTruth.Core.Scoring;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Data;

/// <summary>
/// Prepares the provider's storage (on SQLite the file, owner-only, and its folder), applies the provider's migrations
/// (on PostgreSQL creating the database if it is missing), tunes the storage (SQLite's WAL mode), and scores any task
/// that has no score sheet yet (tasks from before the sheets existed).
/// </summary>
public static class DatabaseInitializer
{
    public static async Task InitializeAsync(IDbContextFactory<GroundTruthDbContext> factory, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Dialect.PrepareStorageAsync(db.Database, ct);
        await db.Database.MigrateAsync(ct);
        await db.Dialect.TuneStorageAsync(db.Database, ct);
        await ScoreUnscoredTasksAsync(db, ct);
    }

    private static async Task ScoreUnscoredTasksAsync(GroundTruthDbContext db, CancellationToken ct)
    {
        var unscored = await db.Tasks.Where(t => !db.ScoreSheets.Any(s => s.TaskId == t.Id) || !db.Comparisons.Any(c => c.TaskId == t.Id))
            .Select(t => new { t.ProjectId, t.Id, HasSheet = db.ScoreSheets.Any(s => s.TaskId == t.Id), HasComparisons = db.Comparisons.Any(c => c.TaskId == t.Id) })
            .OrderBy(t => t.Id).ToListAsync(ct);
        foreach (var project in unscored.GroupBy(t => t.ProjectId))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Every task has its sheet and comparisons (the grid reads the ground truth and scores there, the review page
            // the comparisons): empty ones first, then its scores.
            db.ScoreSheets.AddRange(project.Where(t => !t.HasSheet).Select(t => new TaskScoreSheet { TaskId = t.Id, ProjectId = t.ProjectId }));
            db.Comparisons.AddRange(project.Where(t => !t.HasComparisons).Select(t => new TaskComparisons { TaskId = t.Id, Scores = ScoreSheet.Empty.ToJson() }));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            await ScoreKeeper.RecomputeAsync(db, await ScoreKeeper.SettingsAsync(db, project.Key, ct), project.Select(t => t.Id).ToList(), ct);
            await tx.CommitAsync(ct);
        }
    }
}
