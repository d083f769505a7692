using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Projects;

public sealed class ProjectService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
{
    /// <summary>The projects the actor belongs to (every project, for an administrator).</summary>
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await Summaries(db, Access.VisibleProjects(db, actor).OrderBy(p => p.Id)).ToListAsync(ct);
    }

    public async Task<ProjectSummary> GetAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, id, Role.Annotator, "see this project", ct);
        return await Summaries(db, db.Projects.Where(p => p.Id == id)).SingleAsync(ct);
    }

    /// <summary>A new project; a manager who creates it becomes its first member.</summary>
    public async Task<ProjectSummary> CreateAsync(Actor actor, string title, CancellationToken ct = default)
    {
        Access.Ensure(actor, Role.Manager, "create projects");
        title = title?.Trim() ?? "";
        if (title.Length is 0 or > 200)
        {
            throw new ArgumentException("A project needs a title of 1 to 200 characters.", nameof(title));
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var project = new Project { Title = title, CreatedAt = SqliteTime.Now(time) };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        if (actor.UserId != Actor.System.UserId)
        {
            db.ProjectMemberships.Add(new ProjectMembership { ProjectId = project.Id, UserId = actor.UserId });
            await db.SaveChangesAsync(ct);
        }
        return new ProjectSummary(project.Id, project.Title, project.CreatedAt, 0, 0, 0, 0);
    }

    /// <summary>Fails with 404 unless the actor may see the project: call before revealing anything about its members.</summary>
    public async Task EnsureVisibleAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see this project", ct);
    }

    /// <summary>The member with this email (any case), or null.</summary>
    public async Task<long?> FindMemberIdAsync(string email, CancellationToken ct = default)
    {
        var normalized = email.Trim().ToLowerInvariant();
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Members.Where(m => m.Email == normalized).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
    }

    private static IQueryable<ProjectSummary> Summaries(GroundTruthDbContext db, IQueryable<Project> projects) =>
        projects.Select(p => new ProjectSummary(
            p.Id,
            p.Title,
            p.CreatedAt,
            db.Tasks.Count(t => t.ProjectId == p.Id),
            db.Tasks.Count(t => t.ProjectId == p.Id && t.HasGroundTruth),
            db.Tasks.Where(t => t.ProjectId == p.Id).Sum(t => t.TotalAnnotations),
            db.Tasks.Where(t => t.ProjectId == p.Id).Sum(t => t.TotalPredictions)));
}
