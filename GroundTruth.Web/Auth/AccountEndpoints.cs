using GroundTruth.Core.Model;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace GroundTruth.Web.Auth;

internal static class AccountEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token, so another site cannot sign a user out.</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (SignInManager<User> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/account/login");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
}
