using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using GroundTruth.Core.Model;
using GroundTruth.Tests.Support;
using GroundTruth.Web.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// Sign-in cannot be used against users: an unknown email costs the same password hashing as a wrong password and gets
/// the same words; attempts are rate-limited per address; sign-out needs the page's token; a return URL that cannot be
/// a redirect falls back to the home page instead of failing the sign-in.
/// </summary>
public sealed class SignInAbuseTests : IAsyncLifetime
{
    /// <summary>Identity's hasher, recording the iteration count of every hash it checks a password against.</summary>
    private sealed class RecordingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();

        public ConcurrentQueue<int> Verified { get; } = new();

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            // Identity's v3 format: 0x01, PRF (4 bytes), iteration count (4 bytes, big-endian), salt length, salt, subkey.
            Verified.Enqueue((int)BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hashedPassword).AsSpan(5, 4)));
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private readonly RecordingHasher _hasher = new();
    private readonly ApiFactory _factory = new(new Dictionary<string, string> { ["GroundTruth:SignIn:AttemptsPerMinute"] = "8" });
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;

    public Task InitializeAsync()
    {
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<IPasswordHasher<User>>(_hasher)));
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private BrowserSession Session() => new(_app);

    private static async Task<string> PageOf(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task An_unknown_email_runs_the_same_hashing_and_reads_the_same_as_a_wrong_or_locked_password()
    {
        using var session = Session();
        int[] Drain()
        {
            var drained = new List<int>();
            while (_hasher.Verified.TryDequeue(out var iterations))
            {
                drained.Add(iterations);
            }
            return [.. drained];
        }

        var wrong = await PageOf(await session.SignInAsync(ApiFactory.AdminEmail, "not-the-password"));
        var known = Drain();
        var unknown = await PageOf(await session.SignInAsync("nobody@test.local", "not-the-password"));
        var stranger = Drain();
        for (var i = 0; i < 5; i++)
        {
            await session.SignInAsync(ApiFactory.AdminEmail, "still-wrong");
        }
        Drain();
        var locked = await PageOf(await session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword));
        var whileLocked = Drain();

        // One check of one hash with the real hash's cost, whichever way the attempt fails.
        Assert.Single(known);
        Assert.True(known[0] >= 100_000, $"{known[0]} iterations");
        Assert.Equal(known, stranger);
        Assert.Equal(known, whileLocked);
        foreach (var page in new[] { wrong, unknown, locked })
        {
            Assert.Contains(PasswordSignIn.Failed, page, StringComparison.Ordinal);
            Assert.DoesNotContain("locked", page.Replace(PasswordSignIn.Failed, "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(await session.IsSignedInAsync());
    }

    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_limited_with_retry_after()
    {
        using var session = Session();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await session.SignInAsync("nobody@test.local", "guess-" + i)).StatusCode);
        }

        var refused = await session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Contains("Too many sign-in attempts", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await session.IsSignedInAsync());
        // Reading the page is not an attempt, and the API is not limited.
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/account/login")).StatusCode);
        using var admin = _app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Token", ApiFactory.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/account")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_without_the_pages_token_is_a_400_and_keeps_the_user_signed_in()
    {
        using var session = Session();
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).StatusCode);

        foreach (var form in new Dictionary<string, string>[] { [], new() { ["__RequestVerificationToken"] = "forged" } })
        {
            var forged = await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains("antiforgery", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(await session.IsSignedInAsync());
        }

        var token = await session.FormTokenAsync("/account");
        var real = await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, real.StatusCode);
        Assert.False(await session.IsSignedInAsync());
    }

    [Theory]
    [InlineData("%2Fprojects%2F%C3%A9")]
    [InlineData("%2Fa%0D%0ASet-Cookie%3A%20x%3D1")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("https%3A%2F%2Fevil.example%2F")]
    public async Task A_return_url_that_cannot_be_a_local_redirect_signs_in_and_goes_home(string returnUrl)
    {
        using var session = Session();

        var response = await session.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal(("localhost", "/"), (target.Host, target.PathAndQuery));
        Assert.True(await session.IsSignedInAsync());
    }
}
