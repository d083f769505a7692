namespace GroundTruth.Web.Auth;

/// <summary>Where sign-in may send the user back to: a path on this site that can travel in a Location header.</summary>
public static class LocalReturnUrl
{
    /// <summary>
    /// <paramref name="url"/> when it is a local path (one leading slash, not <c>//</c> or <c>/\</c>, which browsers
    /// read as another host) of at most 2,000 printable ASCII characters; otherwise <paramref name="fallback"/>. A
    /// header cannot carry anything else, and a non-ASCII path made the redirect — and the sign-in with it — fail.
    /// </summary>
    public static string Or(string? url, string fallback) =>
        url is { Length: > 0 and <= 2000 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && url.All(c => c is > ' ' and < '\x7f') ? url : fallback;
}
