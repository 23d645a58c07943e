using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The page a person sees, driven in Debian's Chromium (headless): one report each way, the wait each took, the async
/// report reaching Completed on the live board, and a server-side field error; with screenshots.
/// </summary>
public sealed partial class BrowserPageTests(ReportPocApp system)
{
    [Fact]
    public async Task PersonSubmitsBothWaysAndSeesTheDifference()
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await page.GotoAsync(system.Api.BaseAddress!.ToString());

        await page.FillAsync("#title", "Browser sync " + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#submit-sync");
        await Assertions.Expect(page.Locator("#wait-sync")).ToContainTextAsync("ms", new() { Timeout = 30_000 });

        await page.FillAsync("#title", "Browser async " + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#submit-async");
        await Assertions.Expect(page.Locator("#wait-async")).ToContainTextAsync("ms", new() { Timeout = 30_000 });

        var syncWait = WaitedMs(await page.Locator("#wait-sync").InnerTextAsync());
        var asyncWait = WaitedMs(await page.Locator("#wait-async").InnerTextAsync());
        Assert.True(asyncWait < syncWait, $"async waited {asyncWait} ms, sync {syncWait} ms");

        // The async report appears on the board and reaches Completed there.
        var asyncRow = page.Locator("#board [data-report-id]").Filter(new() { HasText = "Browser async" });
        await Assertions.Expect(asyncRow.Locator(".status-Completed")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await HeadlessBrowser.ScreenshotAsync(page, "page-desktop.png");

        // A server-side validation error shows next to its field.
        await page.FillAsync("#period", "2026-13");
        await page.ClickAsync("#submit-async");
        await Assertions.Expect(page.Locator("#error-period")).ToContainTextAsync("yyyy-MM", new() { Timeout = 10_000 });
        await HeadlessBrowser.ScreenshotAsync(page, "page-field-error.png");

        await page.SetViewportSizeAsync(390, 844);
        await page.FillAsync("#period", "2026-11");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The page scrolls sideways at a phone's width.");
        await HeadlessBrowser.ScreenshotAsync(page, "page-phone.png");
    }

    private static int WaitedMs(string text) => int.Parse(WaitedPattern().Match(text).Groups[1].Value.Replace(",", ""));

    [GeneratedRegex(@"([\d,]+)\s*ms")]
    private static partial Regex WaitedPattern();
}
