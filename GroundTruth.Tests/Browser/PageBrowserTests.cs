using GroundTruth.Tests.Support;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Browser;

/// <summary>Pages outside the grid and the review, as a new user meets them, at 1280×800 and on a 390×844 phone.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageBrowserTests : IAsyncLifetime
{
    private BrowserApp _app = null!;

    public async Task InitializeAsync() => _app = await BrowserApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, int, int> Sizes => new() { { "desktop", 1280, 800 }, { "phone", 390, 844 } };

    private async Task<IPage> OpenAsync(int width, int height, bool signedIn)
    {
        var page = signedIn
            ? await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)
            : await (await _app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.BaseUrl })).NewPageAsync();
        await page.SetViewportSizeAsync(width, height);
        return page;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task An_unknown_address_says_so_in_the_layout_and_leads_home(string size, int width, int height)
    {
        var page = await OpenAsync(width, height, signedIn: true);
        var response = await page.GotoAsync("/no/such/page");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("not-found")).ToContainTextAsync("There is no page at /no/such/page.");
        await Assertions.Expect(page.GetByText("GroundTruth", new() { Exact = true })).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, $"not-found-{size}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the projects" }).ClickAsync();
        await page.WaitForURLAsync(_app.BaseUrl + "/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Projects" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("desktop", 1280, 800)]
    [InlineData("phone", 390, 844)]
    [InlineData("small-phone", 360, 740)]
    public async Task The_header_fits_and_its_account_links_are_reachable(string size, int width, int height)
    {
        var page = await OpenAsync(width, height, signedIn: true);
        var bar = page.Locator(".mud-appbar .mud-toolbar");
        var (scroll, client) = (await bar.EvaluateAsync<int>("e => e.scrollWidth"), await bar.EvaluateAsync<int>("e => e.clientWidth"));
        Assert.True(scroll <= client, $"The header is {scroll} px wide in {client} px.");
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });
        if (width < 700)
        {
            await Assertions.Expect(signOut).ToBeHiddenAsync();
            await page.GetByLabel("Account menu").ClickAsync();
            await Assertions.Expect(page.GetByTestId("menu-account-link")).ToHaveTextAsync(ApiFactory.AdminEmail);
            await Assertions.Expect(page.Locator(".header-menu-items").GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
        }
        // The home page's New project button shows its label on one line beside the title field (a squeezed one wrapped it).
        var buttonBox = await page.GetByRole(AriaRole.Button, new() { Name = "New project" }).BoundingBoxAsync();
        Assert.True(buttonBox!.X + buttonBox.Width <= width && buttonBox.Height < 45, $"The New project button is squeezed ({buttonBox.Width}×{buttonBox.Height} px at {buttonBox.X}).");
        await BrowserApp.ScreenshotAsync(page, $"header-{size}");
        await signOut.ClickAsync();
        await page.WaitForURLAsync("**/account/login**");
    }

    [Fact]
    public async Task Dark_mode_follows_the_system_until_the_toggle_picks_and_is_remembered()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await page.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        var toggle = page.GetByTestId("theme-toggle");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.True(await BackgroundLightnessAsync(page) < 0.3, "The page is not dark under a dark system preference.");
        await BrowserApp.ScreenshotAsync(page, "home-dark");

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        await page.ReloadAsync();
        await BrowserApp.WaitInteractiveAsync(page);
        // Picked light: it stays light under the dark system preference.
        await page.WaitForTimeoutAsync(300);
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.True(await BackgroundLightnessAsync(page) > 0.7, "The page did not stay light after the toggle picked it.");
    }

    /// <summary>The body's background lightness from 0 (black) to 1 (white).</summary>
    private static Task<double> BackgroundLightnessAsync(IPage page) => page.EvaluateAsync<double>("""
        () => {
            const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
            return (Math.max(r, g, b) + Math.min(r, g, b)) / 2 / 255;
        }
        """);

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task The_sign_in_page_puts_the_cursor_in_the_email_field(string size, int width, int height)
    {
        var page = await OpenAsync(width, height, signedIn: false);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/account/login**");
        await Assertions.Expect(page.GetByLabel("Email")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ApiFactory.AdminEmail);
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync(ApiFactory.AdminEmail);
        await BrowserApp.ScreenshotAsync(page, $"sign-in-{size}");
    }

    [Fact]
    public async Task On_a_phone_the_users_and_token_tables_label_every_field()
    {
        var page = await _app.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword, 390, 844);
        async Task ExpectLabelsAsync(string table, string[] labels)
        {
            var cells = page.GetByTestId(table).Locator("tbody tr").First.Locator("td[data-label]");
            await Assertions.Expect(cells).ToHaveCountAsync(labels.Length);
            // The stacked card shows each label before its value (MudBlazor draws data-label there below 600 px).
            var shown = await cells.EvaluateAllAsync<string[]>("cells => cells.map(c => getComputedStyle(c, '::before').content.replaceAll('\"', ''))");
            Assert.Equal(labels, shown);
        }

        await page.GotoAsync("/users");
        await BrowserApp.WaitInteractiveAsync(page);
        await ExpectLabelsAsync("users", ["Email", "Name", "Role"]);
        await BrowserApp.ScreenshotAsync(page, "users-phone");

        await page.GotoAsync("/account");
        await BrowserApp.WaitInteractiveAsync(page);
        await page.GetByLabel("Token name").FillAsync("my script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await ExpectLabelsAsync("tokens", ["Name", "Key starts", "Created", "Last used", "Status"]);
        await BrowserApp.ScreenshotAsync(page, "account-phone");
    }
}
