using System.Text.Encodings.Web;
using GroundTruth.Core.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace GroundTruth.Web.Auth;

/// <summary>Label Studio's API authentication: <c>Authorization: Token &lt;key&gt;</c>, checked against the database on every request.</summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";
    public const string HeaderPrefix = "Token ";

    public static bool HasToken(HttpContext context) =>
        context.Request.Headers.Authorization.ToString().StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasToken(Context))
        {
            return AuthenticateResult.NoResult();
        }
        var key = Context.Request.Headers.Authorization.ToString()[HeaderPrefix.Length..];
        var actor = await tokens.AuthenticateAsync(key, Context.RequestAborted);
        return actor is null
            ? AuthenticateResult.Fail("The token is unknown or revoked.")
            : AuthenticateResult.Success(new AuthenticationTicket(actor.ToPrincipal(SchemeName), SchemeName));
    }
}
