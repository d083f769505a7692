using System.Security.Cryptography;
using GroundTruth.Core.Data;
using GroundTruth.Core.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace GroundTruth.Core.Accounts;

/// <summary>Accounts and their roles, through ASP.NET Core Identity's UserManager (scoped, like it).</summary>
public sealed class AccountService(
    UserManager<User> users,
    RoleManager<IdentityRole<long>> roles,
    IDbContextFactory<GroundTruthDbContext> factory,
    GroundTruthDbContext context,
    ApiTokenService tokens)
{
    /// <summary>
    /// Creates an account with its role in one transaction: a bad email, password or role leaves no account behind.
    /// Every value is checked first, and its error names the field.
    /// </summary>
    public async Task<UserView> CreateUserAsync(Actor actor, string email, string password, Role role, string? displayName = null, CancellationToken ct = default)
    {
        Access.Ensure(actor, Role.Administrator, "manage users");
        if (!Enum.IsDefined(role))
        {
            throw new BadInputException($"role must be one of {string.Join(", ", Enum.GetNames<Role>().Select(r => r.ToLowerInvariant()))}.", "role");
        }
        email = EmailAddresses.Normalize(email);
        if (!EmailAddresses.IsValid(email))
        {
            throw new BadInputException($"email {EmailAddresses.Problem}.", "email");
        }
        displayName = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim();
        if (displayName.Length > 100)
        {
            throw new BadInputException("display_name must be at most 100 characters.", "display_name");
        }
        await EnsureRolesAsync();
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        // UserManager saves through the scope's context; a transaction on that context makes the two writes one.
        await using (var tx = await context.Database.BeginTransactionAsync(ct))
        {
            Check(await users.CreateAsync(user, password ?? ""), "password");
            Check(await users.AddToRoleAsync(user, role.ToString()), "role");
            await tx.CommitAsync(ct);
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await AccountQueries.UsersAsync(db, u => u.Id == user.Id, ct)).Single();
    }

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(Actor actor, CancellationToken ct = default)
    {
        Access.Ensure(actor, Role.Administrator, "manage users");
        await using var db = await factory.CreateDbContextAsync(ct);
        return await AccountQueries.UsersAsync(db, u => true, ct);
    }

    /// <summary>The actor for a signed-in user id, or null if the account is gone.</summary>
    public async Task<Actor?> ActorAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await AccountQueries.ActorAsync(db, userId, ct);
    }

    /// <summary>
    /// First run: when there is no administrator, create one from <paramref name="setup"/> (and its token, if given).
    /// Without one, in development only, create a demo administrator, manager, reviewer and annotator with random
    /// passwords, make them members of every project, and return their credentials to be printed once.
    /// </summary>
    public async Task<IReadOnlyList<(string Email, string Password, Role Role)>> FirstRunAsync(AdminSetup setup, bool development, CancellationToken ct = default)
    {
        await EnsureRolesAsync();
        if ((await users.GetUsersInRoleAsync(nameof(Role.Administrator))).Count > 0)
        {
            return [];
        }
        if (!string.IsNullOrWhiteSpace(setup.Email) && !string.IsNullOrWhiteSpace(setup.Password))
        {
            var admin = await CreateUserAsync(Actor.System, setup.Email, setup.Password, Role.Administrator, "Administrator", ct);
            if (!string.IsNullOrWhiteSpace(setup.Token))
            {
                await tokens.StoreAsync(admin.Id, "configured at first run", setup.Token.Trim(), ct);
            }
            return [];
        }
        if (!development)
        {
            return [];
        }
        var created = new List<(string, string, Role)>();
        foreach (var role in Enum.GetValues<Role>().Reverse())
        {
            var email = $"{role.ToString().ToLowerInvariant()}@demo.local";
            var password = "Demo-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            var user = await CreateUserAsync(Actor.System, email, password, role, $"Demo {role}", ct);
            await using var db = await factory.CreateDbContextAsync(ct);
            db.ProjectMemberships.AddRange(await db.Projects.Select(p => new ProjectMembership { ProjectId = p.Id, UserId = user.Id }).ToListAsync(ct));
            await db.SaveChangesAsync(ct);
            created.Add((email, password, role));
        }
        return created;
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in Enum.GetNames<Role>())
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole<long>(role)));
            }
        }
    }

    /// <summary>Identity's refusal as a bad input; its codes say which field (a duplicate or malformed email, a weak password).</summary>
    private static void Check(IdentityResult result, string field = "")
    {
        if (!result.Succeeded)
        {
            var blamed = result.Errors.Any(e => e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal)) ? "email"
                : result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : field;
            throw new BadInputException(string.Join(" ", result.Errors.Select(e => e.Description)), blamed.Length > 0 ? blamed : null);
        }
    }
}
