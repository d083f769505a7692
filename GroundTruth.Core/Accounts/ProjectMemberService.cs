using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Accounts;

/// <summary>Who belongs to a project. Members see the list; managers change it.</summary>
public sealed class ProjectMemberService(IDbContextFactory<GroundTruthDbContext> factory)
{
    public async Task<IReadOnlyList<UserView>> ListAsync(Actor actor, long projectId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Annotator, "see members", ct);
        return await AccountQueries.UsersAsync(db, u => db.ProjectMemberships.Any(m => m.ProjectId == projectId && m.UserId == u.Id), ct);
    }

    public async Task<UserView> AddAsync(Actor actor, long projectId, string email, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "manage members", ct);
        var normalized = EmailAddresses.Normalize(email);
        var user = (await AccountQueries.UsersAsync(db, u => u.Email == normalized, ct)).SingleOrDefault()
            ?? throw new BadInputException($"No account has the email '{email}'.", "email");
        if (!await db.ProjectMemberships.AnyAsync(m => m.ProjectId == projectId && m.UserId == user.Id, ct))
        {
            db.ProjectMemberships.Add(new ProjectMembership { ProjectId = projectId, UserId = user.Id });
            await db.SaveChangesAsync(ct);
        }
        return user;
    }

    public async Task RemoveAsync(Actor actor, long projectId, long userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await Access.EnsureProjectAsync(db, actor, projectId, Role.Manager, "manage members", ct);
        if (await db.ProjectMemberships.Where(m => m.ProjectId == projectId && m.UserId == userId).ExecuteDeleteAsync(ct) == 0)
        {
            throw new NotFoundException("Member", userId);
        }
    }
}
