using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// PostgreSQL crashes with reports in flight: the Api still accepts, the processor waits for the database instead of
/// failing reports (nothing is committed meanwhile), and every report completes once the database is back.
/// </summary>
public sealed class DatabaseOutageTests(ReportPocApp system)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ReportsInFlightAndAcceptedWhilePostgresIsDownCompleteOnceAfterItReturns()
    {
        var before = await system.Lp.StatsAsync();
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
        var reports = new List<AcceptedReport>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                reports.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // Crash the database while LP is running some of them: their results must still reach the database.
            await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).InFlightRuns > 0, TimeSpan.FromSeconds(30));
            await system.App.KillAsync(ResourceNames.Postgres);
            var backAt = DateTime.UtcNow + Outage;
            try
            {
                for (var i = 0; i < 10; i++)
                {
                    reports.Add(await system.Api.SubmitAsyncReportAsync());
                }

                await Task.Delay(backAt - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero, TestContext.Current.CancellationToken);
            }
            finally
            {
                await system.App.StartAsync(ResourceNames.Postgres);
            }
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

        Assert.All(finished, report => Assert.Equal(ReportStatus.Completed, report.Status));
        // Met, not slept through: work was interrupted by the crash and tried again (attempts > 1), and no LPRUN ran twice.
        Assert.Contains(finished, report => report.Attempts > 1);
        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
    }
}
