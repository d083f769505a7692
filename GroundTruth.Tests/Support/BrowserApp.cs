using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace GroundTruth.Tests.Support;

/// <summary>
/// The app on Kestrel (127.0.0.1, a free port) and Debian's Chromium driven by Playwright. Playwright never downloads a
/// browser here: it launches /usr/bin/chromium.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private BrowserApp(ApiFactory factory, string baseUrl, IPlaywright playwright, IBrowser browser)
    {
        Factory = factory;
        BaseUrl = baseUrl;
        Playwright = playwright;
        Browser = browser;
    }

    public ApiFactory Factory { get; }
    public string BaseUrl { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }

    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<BrowserApp> StartAsync()
    {
        var factory = new ApiFactory(kestrel: true);
        var baseUrl = factory.StartKestrel();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new BrowserApp(factory, baseUrl, playwright, browser);
    }

    /// <summary>A page in a fresh browser context (nobody signed in) of the given size and system colour scheme.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 720, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh browser context signed in through the sign-in page, on the home page with its circuit connected.</summary>
    public async Task<IPage> SignInAsync(string email, string password, int width = 1280, int height = 720, ColorScheme colorScheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(width, height, colorScheme);
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/account/login**");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Polled, not WaitForURLAsync: the redirect home can be Blazor's enhanced (same-document) navigation, which that
        // wait can miss (CI timed out after 30 s with the network idle).
        if (!await ShowsUrlAsync(page, new Regex("^" + Regex.Escape(BaseUrl) + "/$"), timeoutMs: 30_000))
        {
            throw new TimeoutException($"Signing in as {email} ended on {page.Url}, not the home page.");
        }
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// Acts until the URL shows the result. On a loaded CI machine a click that lands while the grid re-renders (after a
    /// URL change or a bulk action reloads it) can be lost; a user sees nothing happen and clicks again, and so does this.
    /// </summary>
    public static async Task UntilUrlAsync(IPage page, Regex url, Func<Task> act)
    {
        for (var attempt = 1; ; attempt++)
        {
            await StepAsync(page, "until-url", act);
            if (await ShowsUrlAsync(page, url))
            {
                return;
            }
            if (attempt == 3)
            {
                throw new TimeoutException($"The address bar shows {page.Url}, not {url}, after three tries.");
            }
            await page.Keyboard.PressAsync("Escape");
        }
    }

    /// <summary>
    /// Whether the address bar shows <paramref name="url"/> within the time, read every 50 ms. Not WaitForURLAsync for
    /// Blazor's navigations (same-document): it can miss one that lands between its look at the URL and its wait for the
    /// next navigation. Under load the review page stepped to the next task and the wait timed out with that task's URL
    /// in the address bar; a retry then stepped once more.
    /// </summary>
    public static async Task<bool> ShowsUrlAsync(IPage page, Regex url, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!url.IsMatch(page.Url))
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 15000 });

    /// <summary>
    /// A step whose failure keeps a picture of the page and says what the page showed (its URL, alerts and Blazor's
    /// error or reconnect banners): a CI log of a timeout alone does not tell a missing row from an error in its place.
    /// </summary>
    public static async Task StepAsync(IPage page, string name, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            var picture = await ScreenshotAsync(page, "failed-" + name);
            var shown = await page.Locator(".mud-alert, #blazor-error-ui, #components-reconnect-modal").AllInnerTextsAsync();
            throw new TimeoutException($"{name}: {e.Message}\nThe page at {page.Url} showed [{string.Join(" | ", shown)}]; picture: {picture}", e);
        }
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Factory.DisposeAsync();
    }
}
