using System.Linq.Expressions;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Accounts;

/// <summary>Reads users with their role (the highest Identity role they hold).</summary>
internal static class AccountQueries
{
    public static async Task<List<UserView>> UsersAsync(GroundTruthDbContext db, Expression<Func<User, bool>> where, CancellationToken ct)
    {
        var rows = await db.Users.AsNoTracking().Where(where).OrderBy(u => u.Id).Select(u => new
        {
            u.Id,
            u.Email,
            u.DisplayName,
            Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name).ToList(),
        }).ToListAsync(ct);
        return rows.Select(r => new UserView(r.Id, r.Email ?? "", r.DisplayName,
            r.Roles.Select(name => Enum.TryParse<Role>(name, out var role) ? role : Role.Annotator).DefaultIfEmpty(Role.Annotator).Max())).ToList();
    }

    public static async Task<Actor?> ActorAsync(GroundTruthDbContext db, long userId, CancellationToken ct) =>
        (await UsersAsync(db, u => u.Id == userId, ct)).Select(u => new Actor(u.Id, u.Email, u.Role)).SingleOrDefault();
}
