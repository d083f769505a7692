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

    public static async Task<long> EnsureTaskAsync(GroundTruthDbContext db, Actor actor, long taskId, Role needed, string action, CancellationToken ct)
    {
        var projectId = await db.Tasks.Where(t => t.Id == taskId).Select(t => (long?)t.ProjectId).SingleOrDefaultAsync(ct);
        if (projectId is null || !await IsMemberAsync(db, actor, projectId.Value, ct))
        {
            throw new NotFoundException("Task", taskId);
        }
        Ensure(actor, needed, action);
        return projectId.Value;
    }

    public static async Task<long> EnsureAnnotationAsync(GroundTruthDbContext db, Actor actor, long annotationId, Role needed, string action, CancellationToken ct)
    {
        var projectId = await db.Annotations.Where(a => a.Id == annotationId)
            .Select(a => (long?)db.Tasks.Where(t => t.Id == a.TaskId).Select(t => t.ProjectId).Single()).SingleOrDefaultAsync(ct);
        if (projectId is null || !await IsMemberAsync(db, actor, projectId.Value, ct))
        {
            throw new NotFoundException("Annotation", annotationId);
        }
        Ensure(actor, needed, action);
        return projectId.Value;
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

    // An administrator belongs to every project that exists for queries: not to an import's staging project.
    private static async Task<bool> IsMemberAsync(GroundTruthDbContext db, Actor actor, long projectId, CancellationToken ct) =>
        actor.IsAdministrator
            ? await db.Projects.AnyAsync(p => p.Id == projectId, ct)
            : await db.ProjectMemberships.AnyAsync(m => m.ProjectId == projectId && m.UserId == actor.UserId, ct);
}
