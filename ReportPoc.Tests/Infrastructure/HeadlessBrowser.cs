using Microsoft.Playwright;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>Debian's Chromium, headless, driven by Playwright; screenshots go where the docs or the test output want them.</summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private HeadlessBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessBrowser> LaunchAsync()
    {
        Assert.True(File.Exists(ChromiumPath), "Chromium is missing: ./test.sh installs it (apt-get install chromium).");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Root in a sandboxless CI container, and no outside network to reach.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new HeadlessBrowser(playwright, browser);
    }

    /// <summary>Saves to $REPORTPOC_SCREENSHOTS (scripts/screenshots.sh points it at docs/screenshots) or the test output's screenshots/.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Environment.GetEnvironmentVariable("REPORTPOC_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = fullPage });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
