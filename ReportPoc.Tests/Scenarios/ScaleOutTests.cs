using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Operations;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Claim 3, live: processor instances added and removed while reports flow. Every rebalance moves partitions with work
/// in flight (LP slowed so runs last); the rules of docs/design.md §5 still hold: every report completes, once.
/// </summary>
public sealed class ScaleOutTests(ReportPocApp system)
{
    [Fact]
    public async Task ScalingFromOneToThreeInstancesAndBackWhileReportsFlowCompletesEveryReportOnce()
    {
        var before = await system.Lp.StatsAsync();
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 4));
        var reports = new List<AcceptedReport>();
        using var stopSubmitting = new CancellationTokenSource();
        var submitting = SubmitUntilAsync(reports, stopSubmitting.Token);
        var owners = new List<ProcessingStatus>();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            owners.Add(await system.ScaleToAsync(3));
            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            owners.Add(await system.ScaleToAsync(1));
        }
        finally
        {
            await stopSubmitting.CancelAsync();
            await submitting;
            await system.Lp.HealAsync();
        }

        // Three instances shared the six partitions two each; one instance owned all six again afterwards.
        Assert.All(owners[0].Instances, instance => Assert.Equal(ReportPocApp.Partitions / 3, instance.Partitions.Count));
        Assert.Equal(ReportPocApp.Partitions, Assert.Single(owners[1].Instances).Partitions.Count);

        foreach (var accepted in reports)
        {
            var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(2));
            Assert.Equal(ReportStatus.Completed, report.Status);
            Assert.Equal(1, (await system.Lp.LedgerForAsync(report.Id))!.RunExecutions);
        }

        var after = await system.Lp.StatsAsync();
        Assert.Equal(before.DuplicateRunExecutions, after.DuplicateRunExecutions);
        TestContext.Current.TestOutputHelper?.WriteLine($"{reports.Count} reports over two rebalances, none run twice");
    }

    private async Task SubmitUntilAsync(List<AcceptedReport> reports, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            reports.Add(await system.Api.SubmitAsyncReportAsync());
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(150), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
