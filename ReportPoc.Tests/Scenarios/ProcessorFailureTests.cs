using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>A processor that is stopped or crashes never costs the Api anything, and never loses or repeats a report.</summary>
public sealed class ProcessorFailureTests(ReportPocApp system)
{
    private const int ReportsPerPhase = 50;

    [Fact]
    public async Task WhileNoProcessorRunsTheApiKeepsAcceptingAndTheBacklogDrainsWhenOneIsBack()
    {
        await system.ScaleToAsync(0);
        var accepted = new List<AcceptedReport>();
        try
        {
            for (var i = 0; i < ReportsPerPhase; i++)
            {
                accepted.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // Nobody works on them: they wait in Kafka, and the status URL still vouches for each.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            using var status = await system.Api.GetAsync(accepted[0].StatusUrl, TestContext.Current.CancellationToken);
            Assert.Equal(ReportStatus.Accepted, (await status.ReadReportAsync()).Status);
            Assert.True((await system.Api.SystemAsync()).Backlog!.Messages >= ReportsPerPhase);
        }
        finally
        {
            await system.ScaleToAsync(1);
        }

        foreach (var report in accepted)
        {
            var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));
            Assert.Equal(ReportStatus.Completed, finished.Status);
        }
    }

    [Fact]
    public async Task AProcessorKilledDuringLprunLeavesNoReportStuckAndLpRunsItOnce()
    {
        // Slow LP down so the kill lands while LPRUN is in flight.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 20));
        AcceptedReport report;
        try
        {
            report = await system.Api.SubmitAsyncReportAsync();
            await Eventually.TrueAsync(async () => (await system.Lp.CallsForAsync(report.Id)).RunExecutions == 1, TimeSpan.FromSeconds(30));
            var instance = Assert.Single((await system.Api.SystemAsync()).Processing!.Instances);
            await system.App.KillAsync(instance.InstanceId);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        await system.ScaleToAsync(1);
        var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));

        Assert.Equal(ReportStatus.Completed, finished.Status);
        Assert.Equal(1, (await system.Lp.CallsForAsync(report.Id)).RunExecutions);
    }
}
