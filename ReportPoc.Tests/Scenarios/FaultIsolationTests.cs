using System.Diagnostics;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>Failures stay where they happen: LP or broker trouble costs the sync path its answer, never the async path its report.</summary>
public sealed class FaultIsolationTests(ReportPocApp system)
{
    [Fact]
    public async Task DuringAnLpOutageTheSyncPathCannotFinishWhileTheAsyncPathAccepts()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        AcceptedReport accepted;
        try
        {
            using var sync = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody(), out _), cancellation);
            // Not finished, not failed: LP did not refuse the report (docs/design.md, "Who may set Failed").
            Assert.Equal(HttpStatusCode.ServiceUnavailable, sync.StatusCode);
            Assert.True(sync.IsProblemJson());
            // The client is told a fixed text; LP's answer and the HTTP client's error stay in the logs and the trace.
            var problem = await sync.ReadJsonAsync();
            Assert.Equal(ReportErrors.SyncNotFinished, problem.GetProperty("detail").GetString());
            using var kept = await system.Api.GetAsync(problem.GetProperty("statusUrl").GetString(), cancellation);
            var unfinished = await kept.ReadReportAsync();
            Assert.Equal(ReportStatus.Running, unfinished.Status);
            Assert.Null(unfinished.LastError);

            accepted = await system.Api.SubmitAsyncReportAsync();
            Assert.Equal(ReportStatus.Accepted, accepted.Status);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromSeconds(60));
        Assert.Equal(ReportStatus.Completed, report.Status);
    }

    [Fact]
    public async Task BrokerDownAnswers503WithRetryAfterWithinTheAckTimeoutAndRecovers()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var broker = system.StandInClient(ResourceNames.DevBroker);
        (await broker.PostAsync("/broker/down", null, cancellation)).EnsureSuccessStatusCode();
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
            clock.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.IsProblemJson());
            Assert.NotNull(response.Headers.RetryAfter);
            // Bounded by Publishing:AckTimeout (3 s) plus slack for a busy CI machine, never the client's timeout.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"503 took {clock.Elapsed}");
            TestContext.Current.TestOutputHelper?.WriteLine($"broker down: 503 after {clock.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            (await broker.PostAsync("/broker/up", null, CancellationToken.None)).EnsureSuccessStatusCode();
        }

        // Recovers by itself: accepted again once the broker is back.
        var recovery = Stopwatch.StartNew();
        await system.UntilTheApiAcceptsAgainAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"broker up: first 202 after {recovery.Elapsed.TotalMilliseconds:F0} ms");
    }
}
