using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The page a person sees, driven in Debian's Chromium (headless), once per language the browser asks for: the page's
/// words in that language, the language toggle, one report each way with a fresh Idempotency-Key each (and the same key
/// again when a lost request is retried), the wait each took, the async report reaching Completed on the live board,
/// the scale-out panel's instances, partitions and bottleneck, and a server-side field error in that language; with screenshots.
/// </summary>
public sealed partial class BrowserPageTests(ReportPocApp system)
{
    /// <summary>What a person must see in each language (the page's own words, not the server's).</summary>
    private static readonly Dictionary<string, PageWords> Words = new()
    {
        ["en"] = new("en-US", "Submit a report", "Submit (async, via Kafka)", "Recent reports", "You waited", "Completed",
            "Use the form yyyy-MM", "Retry now", "Processors & throughput", "Nothing is saturated", "LP is the bottleneck: its one LPRUN slot is busy"),
        ["ko"] = new("ko-KR", "보고서 제출", "제출 (비동기, Kafka 경유)", "최근 보고서", "기다렸습니다", "완료",
            "yyyy-MM 형식으로 입력하세요", "지금 재시도", "프로세서와 처리량", "포화된 곳이 없습니다", "LP가 병목입니다. LPRUN 슬롯 1개가 모두 사용 중"),
    };

    [Theory]
    [InlineData("en")]
    [InlineData("ko")]
    public async Task PersonSubmitsBothWaysAndSeesTheDifference(string language)
    {
        var words = Words[language];
        var otherLanguage = language == "en" ? "ko" : "en";
        await using var browser = await HeadlessBrowser.LaunchAsync();
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = words.Locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        var pageProblems = new List<string>();
        page.PageError += (_, error) => pageProblems.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Text.StartsWith("i18n:", StringComparison.Ordinal))
            {
                pageProblems.Add(message.Text); // a string missing in a language, or asked for and not defined
            }
        };
        var submittedKeys = new List<(string Path, string? Key)>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.Contains("/api/reports", StringComparison.Ordinal))
            {
                submittedKeys.Add((new Uri(request.Url).AbsolutePath, request.Headers.GetValueOrDefault("idempotency-key")));
            }
        };

        await page.GotoAsync(system.Api.BaseAddress!.ToString());

        // The browser's language picks the page's; the field limits come from the server.
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Assertions.Expect(page.Locator("#form-heading")).ToHaveTextAsync(words.FormHeading);
        await Assertions.Expect(page.Locator("#submit-async")).ToContainTextAsync(words.AsyncButton);
        await Assertions.Expect(page.Locator("#board-heading")).ToHaveTextAsync(words.BoardHeading);
        Assert.Equal(ReportLimits.Current, await system.Api.GetFromJsonAsync<ReportLimits>("/api/reports/limits", TestContext.Current.CancellationToken));
        await Assertions.Expect(page.Locator("#hint-reporterId")).ToContainTextAsync($"1–{ReportFieldLimits.ReporterIdMaxLength}");

        // The toggle switches the language, and the choice outlives a reload; then back.
        await page.ClickAsync($"#language-toggle [data-language='{otherLanguage}']");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", otherLanguage);
        await Assertions.Expect(page.Locator("#form-heading")).ToHaveTextAsync(Words[otherLanguage].FormHeading);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#form-heading")).ToHaveTextAsync(Words[otherLanguage].FormHeading);
        await page.ClickAsync($"#language-toggle [data-language='{language}']");
        await Assertions.Expect(page.Locator("#form-heading")).ToHaveTextAsync(words.FormHeading);

        await page.FillAsync("#title", "Browser sync " + Guid.NewGuid().ToString("N")[..6]);
        await page.ClickAsync("#submit-sync");
        await Assertions.Expect(page.Locator("#wait-sync")).ToContainTextAsync(words.Waited, new() { Timeout = 30_000 });

        // The async request is lost once on the way (as on a dropped connection); the retry resends the same key.
        var dropped = 0;
        await page.RouteAsync("**/api/reports", async route =>
        {
            if (route.Request.Method == "POST" && Interlocked.Increment(ref dropped) == 1)
            {
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        var asyncTitle = "Browser async " + Guid.NewGuid().ToString("N")[..6];
        await page.FillAsync("#title", asyncTitle);
        await page.ClickAsync("#submit-async");
        await page.ClickAsync($"#form-message button:has-text('{words.RetryNow}')");
        await Assertions.Expect(page.Locator("#wait-async")).ToContainTextAsync(words.Waited, new() { Timeout = 30_000 });

        var syncWait = WaitedMs(await page.Locator("#wait-sync").InnerTextAsync());
        var asyncWait = WaitedMs(await page.Locator("#wait-async").InnerTextAsync());
        Assert.True(asyncWait < syncWait, $"async waited {asyncWait} ms, sync {syncWait} ms");

        // A key for every submission: the sync one, and one async key sent twice (the lost request and its retry).
        Assert.Equal(["/api/reports/sync", "/api/reports", "/api/reports"], submittedKeys.Select(s => s.Path));
        Assert.All(submittedKeys, s => Assert.False(string.IsNullOrEmpty(s.Key), $"{s.Path} was sent without an Idempotency-Key"));
        Assert.Equal(submittedKeys[1].Key, submittedKeys[2].Key);
        Assert.NotEqual(submittedKeys[0].Key, submittedKeys[1].Key);
        Assert.Equal(2, dropped);

        // The async report appears on the board and reaches Completed there, in the page's language.
        var asyncRow = page.Locator("#board [data-report-id]").Filter(new() { HasText = asyncTitle });
        await Assertions.Expect(asyncRow.Locator(".status-Completed")).ToHaveTextAsync(words.Completed, new() { Timeout = 30_000 });
        // The side panel reads LP's counters (a renamed field would show "–").
        await Assertions.Expect(page.Locator("#lp-duplicates")).ToHaveTextAsync(new Regex(@"^\d+$"));
        await HeadlessBrowser.ScreenshotAsync(page, ScreenshotName("page-desktop", language));

        await ScaleOutPanelSaysWhatLimitsThroughputAsync(page, words, language);

        // A server-side validation error shows next to its field, in the page's language.
        await page.FillAsync("#period", "2026-13");
        await page.ClickAsync("#submit-async");
        var periodError = page.Locator("#error-period");
        await Assertions.Expect(periodError).ToHaveAttributeAsync("data-source", "server", new() { Timeout = 10_000 });
        await Assertions.Expect(periodError).ToContainTextAsync(words.PeriodError);
        await HeadlessBrowser.ScreenshotAsync(page, ScreenshotName("page-field-error", language));

        await page.SetViewportSizeAsync(390, 844);
        await page.FillAsync("#period", "2026-11");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            "The page scrolls sideways at a phone's width.");
        await HeadlessBrowser.ScreenshotAsync(page, ScreenshotName("page-phone", language));

        Assert.Empty(pageProblems);
    }

    /// <summary>
    /// The scale-out panel: the running instance with the partitions it owns, and why the throughput curve moves or not
    /// in the page's language — first with nothing saturated, then with LP made the bottleneck (capacity 1 through the
    /// dashboard command, slowed runs, a backlog).
    /// </summary>
    private async Task ScaleOutPanelSaysWhatLimitsThroughputAsync(IPage page, PageWords words, string language)
    {
        await Assertions.Expect(page.Locator("#scale-heading")).ToHaveTextAsync(words.ScaleHeading);
        var instance = page.Locator("#scale-instances [data-instance-id]");
        await Assertions.Expect(instance).ToHaveCountAsync(1);
        await Assertions.Expect(instance.Locator(".partition")).ToHaveCountAsync(ReportPocApp.Partitions);
        var bottleneck = page.Locator("#scale-bottleneck");
        await Assertions.Expect(bottleneck).ToHaveAttributeAsync("data-kind", "none", new() { Timeout = 30_000 });
        await Assertions.Expect(bottleneck).ToContainTextAsync(words.NothingSaturated);

        var backlog = new List<AcceptedReport>();
        await system.SetLpCapacityOrFailAsync(1);
        try
        {
            await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
            for (var i = 0; i < 20; i++)
            {
                backlog.Add(await system.Api.SubmitAsyncReportAsync());
            }

            await Assertions.Expect(bottleneck).ToHaveAttributeAsync("data-kind", "lp", new() { Timeout = 30_000 });
            await Assertions.Expect(bottleneck).ToContainTextAsync(words.LpBottleneck);
            await HeadlessBrowser.ScreenshotAsync(page, ScreenshotName("page-scale-lp-bound", language));
        }
        finally
        {
            await system.Lp.HealAsync();
            await system.LpCapacityPresetAsync(LpCapacityCommands.ConfiguredCapacityCommand);
        }

        foreach (var report in backlog)
        {
            await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));
        }
    }

    /// <summary>English keeps the names the README links; other languages add theirs (page-desktop.ko.png).</summary>
    private static string ScreenshotName(string name, string language) => language == "en" ? $"{name}.png" : $"{name}.{language}.png";

    private static int WaitedMs(string text) => int.Parse(WaitedPattern().Match(text).Groups[1].Value.Replace(",", ""));

    [GeneratedRegex(@"([\d,]+)\s*ms")]
    private static partial Regex WaitedPattern();

    private sealed record PageWords(string Locale, string FormHeading, string AsyncButton, string BoardHeading, string Waited,
        string Completed, string PeriodError, string RetryNow, string ScaleHeading, string NothingSaturated, string LpBottleneck);
}
