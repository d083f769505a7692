using System.Security.Claims;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;

namespace GroundTruth.Web.Auth;

/// <summary>The Core actor for a signed-in principal (cookie or token): user id, email and highest role from its claims.</summary>
public static class ClaimsActor
{
    public static Actor ToActor(this ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || !long.TryParse(id, out var userId))
        {
            throw new InvalidOperationException("No signed-in user; the endpoint must require authorization.");
        }
        var role = principal.FindAll(ClaimTypes.Role)
            .Select(c => Enum.TryParse<Role>(c.Value, out var r) ? r : Role.Annotator)
            .DefaultIfEmpty(Role.Annotator)
            .Max();
        var email = principal.FindFirstValue(ClaimTypes.Email) ?? principal.FindFirstValue(ClaimTypes.Name) ?? "";
        return new Actor(userId, email, role);
    }

    public static ClaimsPrincipal ToPrincipal(this Actor actor, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, actor.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Claim(ClaimTypes.Name, actor.Email),
            new Claim(ClaimTypes.Email, actor.Email),
            new Claim(ClaimTypes.Role, actor.Role.ToString()),
        ], scheme));
}
