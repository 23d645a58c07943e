using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// A gateway in front of LP answers LPRUN with its own 502/504 while LP runs the report behind it: an answer that
/// proves nothing. Nobody may call LPRUN again for it; the run is followed through LP's lookup (docs/design.md,
/// "At most one LPRUN").
/// </summary>
public sealed class LpGatewayTests(ReportPocApp system)
{
    [Fact]
    public async Task GatewayErrorsWhileLpRunsCauseNoSecondRunOnEitherPath()
    {
        var before = await system.Lp.StatsAsync();
        await system.Lp.SetFaultsAsync(new LpFaults(GatewayErrorRate: 0.5));
        var statusUrls = new List<string>();
        try
        {
            for (var i = 0; i < 16; i++)
            {
                statusUrls.Add((await system.Api.SubmitAsyncReportAsync()).StatusUrl);
            }

            for (var i = 0; i < 6; i++)
            {
                using var sync = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody(), out _), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, sync.StatusCode); // the sync path follows the run too, and answers with it
                statusUrls.Add((await sync.ReadReportAsync()).StatusUrl!);
            }

            var finished = new List<ReportView>();
            foreach (var url in statusUrls)
            {
                finished.Add(await system.Api.WaitUntilFinishedAsync(url, TimeSpan.FromMinutes(2)));
            }

            Assert.All(finished, report => Assert.Equal(ReportStatus.Completed, report.Status));
            foreach (var report in finished)
            {
                var ledger = await system.Lp.LedgerForAsync(report.Id);
                Assert.Equal((1, 0), (ledger!.RunExecutions, ledger.DuplicateRunExecutions));
            }
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var after = await system.Lp.StatsAsync();
        Assert.True(after.GatewayErrors - before.GatewayErrors >= 3, $"the gateway answered only {after.GatewayErrors - before.GatewayErrors} LPRUNs itself");
        Assert.Equal(before.DuplicateRunExecutions, after.DuplicateRunExecutions);
    }
}
