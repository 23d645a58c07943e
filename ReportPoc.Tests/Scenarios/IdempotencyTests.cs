using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>An Idempotency-Key names one submission of one reporter, on both paths (docs/design.md §4).</summary>
public sealed class IdempotencyTests(ReportPocApp system)
{
    [Fact]
    public async Task TheSameKeyOnTheSyncAndTheAsyncPathAtOnceRunsLprunOnce()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var key = "both-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        // LP slowed so both paths are inside the workflow at the same time.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 5));
        try
        {
            var sync = system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), cancellation);
            var accepted = await system.Api.SubmitAsyncReportAsync(body, key);
            using var syncAnswer = await sync;

            Assert.Equal(HttpStatusCode.OK, syncAnswer.StatusCode);
            var syncReport = await syncAnswer.ReadReportAsync();
            Assert.Equal(ReportStatus.Completed, syncReport.Status);
            Assert.Equal(accepted.Id, syncReport.Id);

            var asyncReport = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1));
            Assert.Equal(syncReport.LpRunId, asyncReport.LpRunId);
            var ledger = await system.Lp.LedgerForAsync(accepted.Id);
            Assert.Equal(1, ledger!.RunExecutions);
            Assert.Equal(0, ledger.DuplicateRunExecutions);
        }
        finally
        {
            await system.Lp.HealAsync();
        }
    }
}
