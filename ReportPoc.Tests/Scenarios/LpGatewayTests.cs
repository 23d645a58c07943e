using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// A gateway in front of LP answers LPRUN with its own 502/504 while LP runs the report behind it: an answer that
/// proves nothing. Nobody may call LPRUN again for it; the run is followed through LP's lookup (docs/design.md,
/// "At most one LPRUN"). A gateway that stalls delivers a call to LP after its claim was taken over: LP refuses it by
/// the claim's fencing token.
/// </summary>
public sealed class LpGatewayTests(ReportPocApp system)
{
    /// <summary>Workflow:RunClaimLease in the suite's app (its default).</summary>
    private static readonly TimeSpan RunClaimLease = TimeSpan.FromSeconds(30);

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

    [Fact]
    public async Task AnLpRunTheGatewayDeliversAfterItsClaimWasTakenOverIsRefusedByItsFencingToken()
    {
        var before = await system.Lp.StatsAsync();
        // Each report's first LPRUN gets the gateway's 504 at once and reaches LP only after the claim's lease: by then
        // no run was visible at LP for a whole lease, the claim was taken over, and the report ran under the newer claim.
        var delay = RunClaimLease + TimeSpan.FromSeconds(10);
        await system.Lp.SetFaultsAsync(new LpFaults(FirstRunDelay: delay));
        var finished = new List<ReportView>();
        try
        {
            var accepted = new List<AcceptedReport>();
            for (var i = 0; i < 3; i++)
            {
                accepted.Add(await system.Api.SubmitAsyncReportAsync());
            }

            foreach (var report in accepted)
            {
                finished.Add(await system.Api.WaitUntilFinishedAsync(report.StatusUrl, delay + TimeSpan.FromMinutes(1)));
            }

            // The stalled first calls arrive.
            await Eventually.TrueAsync(async () => (await Task.WhenAll(accepted.Select(report => system.Lp.LedgerForAsync(report.Id))))
                .All(ledger => ledger is { LateRunCalls: 1 }), delay + TimeSpan.FromSeconds(30));
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        // LP saw both calls of each report, ran the newer claim's, and refused the late one by its token.
        foreach (var report in finished)
        {
            Assert.Equal(ReportStatus.Completed, report.Status);
            var ledger = await system.Lp.LedgerForAsync(report.Id);
            Assert.Equal((2, 1, 1), (ledger!.RunCalls, ledger.RunExecutions, ledger.StaleClaimRefusals));
            Assert.Equal(ledger.RunId, report.LpRunId);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
    }
}
