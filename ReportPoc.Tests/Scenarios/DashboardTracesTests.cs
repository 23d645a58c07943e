using Microsoft.Playwright;
using ReportPoc.Contracts;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// What the README tells a newcomer to look at: the dashboard's resource graph and the two traces, opened in Chromium
/// from the running system (and saved as the README's screenshots by scripts/screenshots.sh).
/// </summary>
public sealed class DashboardTracesTests(ReportPocApp system)
{
    [Fact]
    public async Task TheDashboardShowsTheSyncAndTheAsyncTraceSideBySide()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // The first report after start-up pays for connections and JIT; the pictures should show a warm system.
        using (var warmUp = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody("Warm-up"), out _), cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        using (var sync = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody("Dashboard sync"), out var syncTrace), cancellation))
        using (var accepted = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody("Dashboard async"), out var asyncTrace), cancellation))
        {
            Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await system.Telemetry.WaitForTraceAsync(syncTrace, spans => spans.Any(span => span.Name == "LP LPRUN"), TimeSpan.FromSeconds(30));
            await system.Telemetry.WaitForTraceAsync(asyncTrace, spans => spans.Any(span => span.Name == "LP LPRUN"), TimeSpan.FromSeconds(30));

            await using var browser = await HeadlessBrowser.LaunchAsync();
            var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 900 } });
            var dashboard = await system.App.GetDashboardUrlAsync(cancellation); // carries the login token
            await page.GotoAsync(dashboard.ToString());
            var origin = dashboard.GetLeftPart(UriPartial.Authority);

            await page.GotoAsync($"{origin}/?view=Graph");
            // The processor's instances are replicas, shown by their own names ("processor-abcd1234"); the pool beside them.
            await Assertions.Expect(page.GetByText(new System.Text.RegularExpressions.Regex($"^{ResourceNames.Processor}-[a-z0-9]+$")).Filter(new() { Visible = true }).First)
                .ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByText(ResourceNames.ProcessorPool, new() { Exact = true }).Filter(new() { Visible = true }).First)
                .ToBeVisibleAsync();
            await HeadlessBrowser.ScreenshotAsync(page, "dashboard-resources.png", fullPage: false);

            await page.GotoAsync($"{origin}/traces/detail/{syncTrace.ToHexString()}");
            await Assertions.Expect(page.GetByText("LP LPRUN").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByText("POST /api/reports/sync").First).ToBeVisibleAsync();
            await HeadlessBrowser.ScreenshotAsync(page, "dashboard-sync-trace.png", fullPage: false);

            await page.GotoAsync($"{origin}/traces/detail/{asyncTrace.ToHexString()}");
            // The dashboard names messaging spans "MSG {system} {destination}": the Api's publish and the processor's process.
            await Assertions.Expect(page.GetByRole(AriaRole.Gridcell, new() { Name = "api: MSG kafka reports.submitted" })).ToBeVisibleAsync(new() { Timeout = 30_000 });
            // The processor's span is labelled "processor" while its telemetry came from one instance, and by the instance
            // ("processor-abcd1234") once several have sent some (earlier tests restart and add instances).
            await Assertions.Expect(page.GetByRole(AriaRole.Gridcell, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^{ResourceNames.Processor}(-[a-z0-9]+)?: MSG kafka reports\\.submitted$") })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("LP LPRUN").First).ToBeVisibleAsync();
            await HeadlessBrowser.ScreenshotAsync(page, "dashboard-async-trace.png", fullPage: false);
        }
    }
}
