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
        return await SummariesAsync(db, Access.VisibleProjects(db, actor).OrderBy(p => p.Id), ct);
    }

    /// <summary>A 404 unless the actor belongs to the project; nothing is counted.</summary>
    public async Task EnsureVisibleAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, id, Role.Annotator, "see this project", ct);
    }

    public async Task<ProjectSummary> GetAsync(Actor actor, long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, id, Role.Annotator, "see this project", ct);
        return (await SummariesAsync(db, db.Projects.Where(p => p.Id == id), ct)).Single();
    }

    /// <summary>A new project; a manager who creates it becomes its first member.</summary>
    public async Task<ProjectSummary> CreateAsync(Actor actor, string title, CancellationToken ct = default)
    {
        Access.Ensure(actor, Role.Manager, "create projects");
        title = title?.Trim() ?? "";
        if (title.Length is 0 or > 200)
        {
            throw new BadInputException("A project needs a title of 1 to 200 characters.", "title");
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

    /// <summary>The member with this email (any case), or null.</summary>
    public async Task<long?> FindMemberIdAsync(string email, CancellationToken ct = default)
    {
        var normalized = EmailAddresses.Normalize(email);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Members.Where(m => m.Email == normalized).Select(m => (long?)m.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>The projects with their counts, from the totals the triggers keep.</summary>
    private static async Task<List<ProjectSummary>> SummariesAsync(GroundTruthDbContext db, IQueryable<Project> projects, CancellationToken ct)
    {
        var list = await projects.Select(p => new { p.Id, p.Title, p.CreatedAt }).ToListAsync(ct);
        var ids = list.Select(p => p.Id).ToList();
        var totals = await ProjectTotals.ReadAsync(db, ids, ct);
        var members = await db.ProjectMemberships.Where(m => ids.Contains(m.ProjectId)).GroupBy(m => m.ProjectId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(m => m.Key, m => m.Count, ct);
        return list.Select(p =>
        {
            var c = totals.GetValueOrDefault(p.Id) ?? ProjectTotals.None;
            return new ProjectSummary(p.Id, p.Title, p.CreatedAt, checked((int)c.Tasks), checked((int)c.GroundTruths), checked((int)c.Annotations),
                checked((int)c.Predictions), checked((int)c.CancelledAnnotations), checked((int)c.AnnotatedTasks), members.GetValueOrDefault(p.Id));
        }).ToList();
    }
}
