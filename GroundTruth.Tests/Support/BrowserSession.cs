using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace GroundTruth.Tests.Support;

/// <summary>An HTTP client that behaves as a browser does with the sign-in form: keeps cookies, reads the antiforgery field, does not follow redirects.</summary>
public sealed partial class BrowserSession(WebApplicationFactory<Program> factory) : IDisposable
{
    public HttpClient Client { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The antiforgery token of a page's form.</summary>
    public Task<string> FormTokenAsync(string page) => FormTokenAsync(Client, page);

    /// <summary>The antiforgery token of a page's form, read with any client (another node's, say).</summary>
    public static async Task<string> FormTokenAsync(HttpClient client, string page)
    {
        var token = AntiforgeryField().Match(await client.GetStringAsync(page)).Groups[1].Value;
        Assert.NotEmpty(token);
        return token;
    }

    /// <summary>Posts the sign-in form as the page serves it, with <paramref name="returnUrl"/> (already URL-encoded) in the query.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string returnUrl = "%2Faccount")
    {
        var url = $"/account/login?returnUrl={returnUrl}";
        var token = await FormTokenAsync("/account/login");
        return await Client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public async Task<bool> IsSignedInAsync() => (await Client.GetAsync("/api/account")).IsSuccessStatusCode;

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
