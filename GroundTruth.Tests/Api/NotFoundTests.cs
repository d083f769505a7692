using System.Net;
using GroundTruth.Tests.Support;

namespace GroundTruth.Tests.Api;

/// <summary>An unknown address: a page in the app's layout with the way home for a browser, problem JSON for a script.</summary>
public sealed class NotFoundTests : IAsyncLifetime
{
    private readonly ApiFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_unknown_page_is_a_404_page_with_the_header_and_a_link_home(bool signedIn)
    {
        using var client = signedIn ? _factory.AdminClient() : _factory.CreateClient();
        var response = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", html, StringComparison.Ordinal);
        Assert.Contains("There is no page at /no/such/page", html, StringComparison.Ordinal);
        Assert.Contains("Back to the projects", html, StringComparison.Ordinal);
        Assert.Contains("mud-appbar", html, StringComparison.Ordinal);
        Assert.DoesNotContain("trace_id", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_path_stays_problem_json()
    {
        using var client = _factory.AdminClient();
        var response = await client.GetAsync("/api/no/such/thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // And an API call without credentials is still a bare 401 problem, not a page.
        using var anonymous = _factory.CreateClient();
        var unauthorized = await anonymous.GetAsync("/api/projects");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.NotEqual("text/html", unauthorized.Content.Headers.ContentType?.MediaType);
    }
}
