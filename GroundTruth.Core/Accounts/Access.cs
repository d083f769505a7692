using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Accounts;

/// <summary>
/// The authorization rules, checked inside every Core operation. A project the actor does not belong to does not exist
/// for them (404); in a project they belong to, an action above their role is forbidden (403).
/// </summary>
internal static class Access
{
    public static async Task EnsureProjectAsync(GroundTruthDbContext db, Actor actor, long projectId, Role needed, string action, CancellationToken ct)
    {
        var project = await db.Projects.Where(p => p.Id == projectId)
            .Select(p => new { Member = actor.IsAdministrator || db.ProjectMemberships.Any(m => m.ProjectId == p.Id && m.UserId == actor.UserId) })
            .SingleOrDefaultAsync(ct);
        if (project is null || !project.Member)
        {
            throw new NotFoundException("Project", projectId);
        }
        Ensure(actor, needed, action);
    }

    public static async Task<long> EnsureTaskAsync(GroundTruthDbContext db, Actor actor, long taskId, Role needed, string action, CancellationToken ct) =>
        await EnsureInProjectAsync(db, actor, db.Tasks.Where(t => t.Id == taskId).Select(t => t.ProjectId), "Task", taskId, needed, action, ct);

    public static async Task<long> EnsureAnnotationAsync(GroundTruthDbContext db, Actor actor, long annotationId, Role needed, string action, CancellationToken ct) =>
        await EnsureInProjectAsync(db, actor, db.Annotations.Where(a => a.Id == annotationId).Join(db.Tasks, a => a.TaskId, t => t.Id, (a, t) => t.ProjectId),
            "Annotation", annotationId, needed, action, ct);

    public static async Task<long> EnsurePredictionAsync(GroundTruthDbContext db, Actor actor, long predictionId, Role needed, string action, CancellationToken ct) =>
        await EnsureInProjectAsync(db, actor, db.Predictions.Where(p => p.Id == predictionId).Join(db.Tasks, p => p.TaskId, t => t.Id, (p, t) => t.ProjectId),
            "Prediction", predictionId, needed, action, ct);

    /// <summary>
    /// The project of the item <paramref name="projectOf"/> finds, checked in one query (a round trip fewer on every
    /// star): an item that does not exist and one in a project the actor does not belong to are the same 404.
    /// </summary>
    private static async Task<long> EnsureInProjectAsync(GroundTruthDbContext db, Actor actor, IQueryable<long> projectOf, string item, long id, Role needed, string action,
        CancellationToken ct)
    {
        // Projects' query filter hides an import's staging project: an administrator belongs to every project that exists for queries.
        var found = await projectOf.Join(db.Projects, projectId => projectId, p => p.Id, (projectId, p) => new
        {
            p.Id,
            Member = actor.IsAdministrator || db.ProjectMemberships.Any(m => m.ProjectId == p.Id && m.UserId == actor.UserId),
        }).SingleOrDefaultAsync(ct);
        if (found is null || !found.Member)
        {
            throw new NotFoundException(item, id);
        }
        Ensure(actor, needed, action);
        return found.Id;
    }

    public static void Ensure(Actor actor, Role needed, string action)
    {
        if (!actor.IsAtLeast(needed))
        {
            throw new ForbiddenException(needed, action);
        }
    }

    public static IQueryable<Project> VisibleProjects(GroundTruthDbContext db, Actor actor) =>
        actor.IsAdministrator ? db.Projects : db.Projects.Where(p => db.ProjectMemberships.Any(m => m.ProjectId == p.Id && m.UserId == actor.UserId));
}
