using System.Net;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Accounts;

/// <summary>The sign-in page as a browser posts it: antiforgery token, cookie, redirect, lockout.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();
    private BrowserSession _session = null!;
    private HttpClient _browser = null!;

    public Task InitializeAsync()
    {
        _session = new BrowserSession(_factory);
        _browser = _session.Client;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _session.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<HttpResponseMessage> SignInAsync(string email, string password) => _session.SignInAsync(email, password);

    [Fact]
    public async Task The_right_password_signs_in_and_returns_to_the_page_asked_for()
    {
        var response = await SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account", Local(response));
        Assert.Equal(HttpStatusCode.OK, (await _browser.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var response = await _session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword, "%2F%2Fevil.example");

        Assert.Equal("/", Local(response));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_sign_in_but_not_the_accounts_api_tokens()
    {
        for (var i = 0; i < 5; i++)
        {
            var wrong = await SignInAsync(ApiFactory.AdminEmail, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(GroundTruth.Web.Auth.PasswordSignIn.Failed), await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _browser.GetAsync("/api/account")).StatusCode);
        // Scripts go on: an outsider's wrong passwords must not stop a team's API tokens.
        Assert.Equal(HttpStatusCode.OK, (await _factory.AdminClient().GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var response = await _browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.Email"] = ApiFactory.AdminEmail,
            ["Input.Password"] = ApiFactory.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _browser.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_to_sign_in_and_carry_security_headers()
    {
        var home = await _browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.StartsWith("/account/login", home.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var login = await _browser.GetAsync("/account/login");
        Assert.Contains("frame-ancestors 'none'", login.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", login.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", login.Headers.GetValues("Referrer-Policy").Single());
    }

    /// <summary>The redirect's target on this site; fails if it leaves the site.</summary>
    private static string Local(HttpResponseMessage response)
    {
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        return target.PathAndQuery;
    }
}
