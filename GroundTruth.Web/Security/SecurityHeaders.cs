namespace GroundTruth.Web.Security;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows only this origin's scripts (Blazor and
/// MudBlazor load theirs from files), inline styles (MudBlazor sets style attributes), images from anywhere (task data
/// points at remote images) and no framing.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https: http:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Where the readable API reference is served.</summary>
    public const string ApiReferencePath = "/reference";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The API reference page (Scalar) starts itself with one inline module script; nothing else may run inline.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReferencePath)
                ? ContentSecurityPolicy.Replace("script-src 'self'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
