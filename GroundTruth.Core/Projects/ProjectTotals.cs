using System.Data.Common;
using GroundTruth.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Projects;

/// <summary>A project's task totals as the triggers keep them (<see cref="Model.ProjectTotal"/>).</summary>
public sealed record ProjectTotals(long Tasks, long GroundTruths, long AnnotatedTasks, long Annotations, long CancelledAnnotations, long Predictions)
{
    /// <summary>
    /// From this many rows a project's totals are folded into one as they are read: at most a few dozen rows to add up
    /// for a page, whatever a team has done since.
    /// </summary>
    private const int FoldFrom = 64;

    public static ProjectTotals None { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>The totals of each of these projects (those without tasks are <see cref="None"/>).</summary>
    public static async Task<Dictionary<long, ProjectTotals>> ReadAsync(GroundTruthDbContext db, IReadOnlyCollection<long> projectIds, CancellationToken ct)
    {
        var sums = await db.ProjectTotals.Where(t => projectIds.Contains(t.ProjectId)).GroupBy(t => t.ProjectId)
            .Select(g => new
            {
                g.Key,
                Rows = g.Count(),
                Totals = new ProjectTotals(g.Sum(t => t.Tasks), g.Sum(t => t.GroundTruths), g.Sum(t => t.AnnotatedTasks),
                    g.Sum(t => t.Annotations), g.Sum(t => t.CancelledAnnotations), g.Sum(t => t.Predictions)),
            })
            .ToListAsync(ct);
        if (db.Dialect.FoldProjectTotals is { } fold)
        {
            foreach (var project in sums.Where(s => s.Rows >= FoldFrom))
            {
                await FoldAsync(db, fold, project.Key, ct);
            }
        }
        return sums.ToDictionary(s => s.Key, s => s.Totals);
    }

    /// <summary>The totals of one project.</summary>
    public static async Task<ProjectTotals> ReadAsync(GroundTruthDbContext db, long projectId, CancellationToken ct) =>
        (await ReadAsync(db, [projectId], ct)).GetValueOrDefault(projectId) ?? None;

    private static async Task FoldAsync(GroundTruthDbContext db, string fold, long projectId, CancellationToken ct)
    {
        try
        {
            await db.OpenConnectionAsync(ct);
            await using var command = db.Command(fold, [new("@project", projectId)]);
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (DbException)
        {
            // Folding only saves later readers work: a busy database or a project deleted meanwhile leaves it to the next read.
        }
    }
}
