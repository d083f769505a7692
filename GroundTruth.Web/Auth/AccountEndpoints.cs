using GroundTruth.Core.Model;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace GroundTruth.Web.Auth;

internal static class AccountEndpoints
{
    /// <summary>
    /// Sign-out is a POST that must carry the page's antiforgery token, so another site cannot sign a user out. The
    /// antiforgery middleware only records whether a token is valid (minimal APIs enforce it when they bind a form,
    /// which this endpoint does not), so the endpoint checks it itself.
    /// </summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery, SignInManager<User> signIn) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad request",
                    detail: "Sign out from the app's own page: the form's antiforgery token is missing or invalid.");
            }
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).DisableAntiforgery().ExcludeFromDescription();
}
