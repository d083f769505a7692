using System.Security.Claims;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Model;
using GroundTruth.Web.Auth;

namespace GroundTruth.Web.Api;

/// <summary>The signed-in user's own account and tokens, and (administrators) the users.</summary>
internal static class AccountApi
{
    public sealed record CreateToken(string? Name);

    public sealed record CreateUser(string? Email, string? Password, Role? Role, string? DisplayName);

    public static void MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/account").WithTags("Account").RequireAuthorization();

        account.MapGet("/", (ClaimsPrincipal user) => user.ToActor());

        account.MapGet("/tokens", (ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) => tokens.ListAsync(user.ToActor(), ct));

        account.MapPost("/tokens", async (CreateToken body, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
        {
            var created = await tokens.CreateAsync(user.ToActor(), body.Name ?? "", ct);
            return TypedResults.Created($"/api/account/tokens/{created.Token.Id}", created);
        });

        account.MapDelete("/tokens/{id:long}", async (long id, ClaimsPrincipal user, ApiTokenService tokens, CancellationToken ct) =>
        {
            await tokens.RevokeAsync(user.ToActor(), id, ct);
            return TypedResults.NoContent();
        });

        var users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization();

        users.MapGet("/", (ClaimsPrincipal user, AccountService accounts, CancellationToken ct) => accounts.ListUsersAsync(user.ToActor(), ct));

        users.MapPost("/", async (CreateUser body, ClaimsPrincipal user, AccountService accounts, CancellationToken ct) =>
        {
            var created = await accounts.CreateUserAsync(user.ToActor(), body.Email ?? "", body.Password ?? "", body.Role ?? Role.Annotator, body.DisplayName, ct);
            return TypedResults.Created($"/api/users/{created.Id}", created);
        });
    }
}
