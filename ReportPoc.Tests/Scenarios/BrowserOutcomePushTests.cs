using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReportPoc.Contracts.Lp;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The page learns its reports' outcomes from their event streams, not by polling their status URLs; and polls them
/// when no stream can be had. The board's recent list (a Development-only demo) is switched off for these runs, as
/// outside Development, so the page's own following of its reports is all that can move them.
/// </summary>
public sealed partial class BrowserOutcomePushTests(ReportPocApp system)
{
    [Fact]
    public async Task AReportOnThePageTurnsCompletedWithNoStatusRequests()
    {
        var (statusReads, streams) = await SubmitAndSeeCompletedAsync(refuseStreams: false);

        Assert.Equal(0, statusReads);
        Assert.True(streams >= 1, "the page opened no event stream");
    }

    [Fact]
    public async Task WhenNoStreamCanBeHadThePagePollsTheStatusUrlInstead()
    {
        var (statusReads, _) = await SubmitAndSeeCompletedAsync(refuseStreams: true);

        Assert.True(statusReads >= 1, "the page neither streamed nor polled, yet saw Completed");
    }

    private async Task<(int StatusReads, int Streams)> SubmitAndSeeCompletedAsync(bool refuseStreams)
    {
        await using var browser = await HeadlessBrowser.LaunchAsync();
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" });
        var page = await context.NewPageAsync();
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        var statusReads = 0;
        var streams = 0;
        page.Request += (_, request) =>
        {
            var path = new Uri(request.Url).AbsolutePath;
            if (request.Method == "GET" && StatusPath().IsMatch(path))
            {
                Interlocked.Increment(ref statusReads);
            }
            else if (request.Method == "GET" && EventsPath().IsMatch(path))
            {
                Interlocked.Increment(ref streams);
            }
        };
        await page.RouteAsync(new Regex(@"/api/reports\?limit="), route => route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
        if (refuseStreams)
        {
            await page.RouteAsync(new Regex(@"/api/reports/[0-9a-f-]{36}/events"), route =>
                route.FulfillAsync(new RouteFulfillOptions { Status = 503, ContentType = "application/problem+json", Body = """{"status":503}""" }));
        }

        await page.GotoAsync(system.Api.BaseAddress!.ToString());
        // LP slowed so that the report is followed for a while (Running), not finished before the page asks.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 5));
        try
        {
            var title = "Pushed " + Guid.NewGuid().ToString("N")[..6];
            await page.FillAsync("#title", title);
            await page.ClickAsync("#submit-async");
            var row = page.Locator("#board [data-report-id]").Filter(new() { HasText = title });
            await Assertions.Expect(row.Locator(".status-Completed")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        Assert.Empty(pageErrors);
        return (statusReads, streams);
    }

    [GeneratedRegex(@"^/api/reports/[0-9a-f-]{36}$")]
    private static partial Regex StatusPath();

    [GeneratedRegex(@"^/api/reports/[0-9a-f-]{36}/events$")]
    private static partial Regex EventsPath();
}
