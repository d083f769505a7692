using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Projects;

public sealed class ProjectService(IDbContextFactory<GroundTruthDbContext> factory, TimeProvider time)
{
    public async Task<IReadOnlyList<ProjectSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await Summaries(db, db.Projects.OrderBy(p => p.Id)).ToListAsync(ct);
    }

    public async Task<ProjectSummary> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await Summaries(db, db.Projects.Where(p => p.Id == id)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Project", id);
    }

    public async Task<ProjectSummary> CreateAsync(string title, CancellationToken ct = default)
    {
        title = title?.Trim() ?? "";
        if (title.Length is 0 or > 200)
        {
            throw new ArgumentException("A project needs a title of 1 to 200 characters.", nameof(title));
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var project = new Project { Title = title, CreatedAt = SqliteTime.Now(time) };
        db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return new ProjectSummary(project.Id, project.Title, project.CreatedAt, 0, 0, 0, 0);
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
