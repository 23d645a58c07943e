using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Unavailable is not failed (docs/design.md §5.3): an LP outage is waited out, however long, and never spends a report's attempts.
/// The suite's outage is shorter than a real maintenance window but longer than every retry budget the processor ever
/// had (five attempts with backoff up to 10 s failed a report within ~10 s); the chaos drill holds LP down for minutes.
/// </summary>
public sealed class LpOutageTests(ReportPocApp system)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task AnLpOutageLongerThanAnyRetryBudgetIsWaitedOutAndEveryReportCompletes()
    {
        var before = await system.Lp.StatsAsync();

        // Reports in every state when LP goes down: some running in LP (slowed so runs last), some queued in Kafka.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
        var reports = new List<AcceptedReport>();
        for (var i = 0; i < 20; i++)
        {
            reports.Add(await system.Api.SubmitAsyncReportAsync());
        }

        await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).InFlightRuns > 0, TimeSpan.FromSeconds(30));
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        var outageEnds = DateTime.UtcNow + Outage;
        try
        {
            for (var i = 0; i < 10; i++)
            {
                reports.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // The processor stops taking work and says why: the page and /api/system show the pause.
            var paused = await system.WaitForProcessorsAsync(status => status.Pause is not null, TimeSpan.FromSeconds(20));
            Assert.Equal("LP", paused.Pause!.Dependency);
            Assert.True(paused.Pause.Waiting > 0, "the pause counts no waiting report");

            await Task.Delay(outageEnds - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero, TestContext.Current.CancellationToken);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var finished = new List<ReportView>();
        foreach (var report in reports)
        {
            finished.Add(await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(2)));
        }

        var after = await system.Lp.StatsAsync();
        Assert.All(finished, report => Assert.Equal(ReportStatus.Completed, report.Status));
        // The outage was met: LP refused calls during it, and reports were tried again after it without being failed.
        Assert.True(after.FailedCalls > before.FailedCalls, "LP answered no call with an outage");
        Assert.Contains(finished, report => report.Attempts > 1);
        Assert.Equal(before.DuplicateRunExecutions, after.DuplicateRunExecutions);
        await system.WaitForProcessorsAsync(status => status.Pause is null, TimeSpan.FromSeconds(30));
    }
}
