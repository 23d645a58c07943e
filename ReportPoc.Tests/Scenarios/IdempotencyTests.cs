using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Messaging;
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

    [Fact]
    public async Task TheSameKeyOnTheAsyncThenTheSyncPathDuringAnLpOutageCompletesOnceLpIsBack()
    {
        // A client falls back from one endpoint to the other with the same key while LP is down. The sync call cannot
        // finish and says so (503 with the status URL); it must not fail the report the processor is waiting to run.
        var cancellation = TestContext.Current.CancellationToken;
        var key = "fallback-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        AcceptedReport accepted;
        try
        {
            accepted = await system.Api.SubmitAsyncReportAsync(body, key);
            using var syncAnswer = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), cancellation);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, syncAnswer.StatusCode);
            var problem = await syncAnswer.ReadJsonAsync();
            Assert.Equal(accepted.Id, problem.GetProperty("reportId").GetGuid());
            Assert.NotNull(syncAnswer.Headers.RetryAfter);
            var during = await system.Api.GetFromJsonAsync<ReportView>(problem.GetProperty("statusUrl").GetString(), cancellation);
            Assert.Equal(ReportStatus.Running, during!.Status);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(2));
        Assert.Equal(ReportStatus.Completed, report.Status);
        var ledger = await system.Lp.LedgerForAsync(accepted.Id);
        Assert.Equal((1, 0), (ledger!.RunExecutions, ledger.DuplicateRunExecutions));
    }

    [Fact]
    public async Task AnAsyncRepeatOfASyncSubmissionWhoseCallerGaveUpGetsItFinished()
    {
        // The sync caller disconnects while LPRUN runs: its row stays Running with nobody working on it. The async
        // repeat with the same key must get the work continued (the processor follows the run LP finishes anyway),
        // never a 202 for a row nothing will process.
        var cancellation = TestContext.Current.CancellationToken;
        var key = "abandoned-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 20));
        try
        {
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var sync = system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), giveUp.Token);
            await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).InFlightRuns + (await system.Lp.StatsAsync()).WaitingRuns > 0,
                TimeSpan.FromSeconds(30));
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sync);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var accepted = await system.Api.SubmitAsyncReportAsync(body, key);
        var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(2));
        Assert.Equal(ReportStatus.Completed, report.Status);
        var ledger = await system.Lp.LedgerForAsync(accepted.Id);
        Assert.Equal((1, 0), (ledger!.RunExecutions, ledger.DuplicateRunExecutions));
    }

    [Fact]
    public async Task AnAsyncRepeatOfACompletedReportAnswersItsCurrentState()
    {
        // A repeat publishes nothing for a report that is final: its answer says where the report stands, not "Accepted".
        var key = "repeat-done-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        var first = await system.Api.SubmitAsyncReportAsync(body, key);
        Assert.Equal(ReportStatus.Accepted, first.Status);
        Assert.Equal(ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(first.StatusUrl, TimeSpan.FromMinutes(1))).Status);

        var repeat = await system.Api.SubmitAsyncReportAsync(body, key);

        Assert.Equal((first.Id, ReportStatus.Completed), (repeat.Id, repeat.Status));
        var ledger = await system.Lp.LedgerForAsync(first.Id);
        Assert.Equal((1, 1), (ledger!.SetQueueCalls, ledger.RunExecutions));
    }

    [Fact]
    public async Task AnAsyncReportTheSyncPathFailsOnLpsRefusalBeforeAnyProcessorReadsItIsStillDeadLettered()
    {
        // The sync repeat gets to the workflow first (the only processor is frozen), so the row is the sync path's and LP
        // refuses it there. The async message read afterwards finds the report Failed: it must publish the dead letter
        // an async report that failed has, and call LP no more.
        var cancellation = TestContext.Current.CancellationToken;
        var key = "refused-first-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        var processor = Assert.Single((await system.WaitForProcessorsAsync(status => status.Instances.Count == 1)).Instances).InstanceId;
        await system.Lp.SetFaultsAsync(new LpFaults(RejectRate: 1));
        AcceptedReport accepted;
        try
        {
            await system.App.FreezeAsync(processor);
            try
            {
                accepted = await system.Api.SubmitAsyncReportAsync(body, key);
                using var syncAnswer = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), cancellation);
                Assert.Equal(HttpStatusCode.BadGateway, syncAnswer.StatusCode);
                Assert.Equal(accepted.Id, (await syncAnswer.ReadJsonAsync()).GetProperty("reportId").GetGuid());
            }
            finally
            {
                await system.App.ThawAsync(processor);
            }

            var deadLetter = await DeadLetters.FindAsync(await system.KafkaBootstrapServersAsync(), accepted.Id);
            Assert.Equal(DeadLetterReasons.Rejected, deadLetter.Header(DeadLetterHeaders.Reason));
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1));
        Assert.Equal(ReportStatus.Failed, report.Status);
        var ledger = await system.Lp.LedgerForAsync(accepted.Id);
        Assert.Equal((1, 0), (ledger!.Rejections, ledger.RunExecutions));
    }
}
