using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// A graceful stop is bounded even while LP is down: the instance hands back the work it cannot finish, leaves the
/// group (its partitions move), and that work completes once, elsewhere, when LP is back.
/// </summary>
public sealed class GracefulStopTests(ReportPocApp system)
{
    /// <summary>The processor's host shutdown timeout: DrainTimeout 4 s + CancelTimeout 2 s + 2 s (ApplicationServiceExtensions).</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task AnInstanceStoppedWhileLpIsDownLeavesWithinItsShutdownTimeoutAndItsWorkCompletesOnce()
    {
        var before = await system.Lp.StatsAsync();
        var two = await system.ScaleToAsync(2);
        var leaving = two.Instances.OrderBy(instance => instance.InstanceId, StringComparer.Ordinal).Last();
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        var reports = new List<AcceptedReport>();
        TimeSpan stopTook;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                reports.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // Both instances have met the outage and paused with work in hand.
            await system.WaitForProcessorsAsync(status => status.Instances.Count == 2 && status.Instances.All(instance => instance.PausedFor == "LP"),
                TimeSpan.FromSeconds(30));

            var clock = Stopwatch.StartNew();
            await system.App.StopAsync(leaving.InstanceId);
            stopTook = clock.Elapsed;
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        Assert.True(stopTook < ShutdownBound + TimeSpan.FromSeconds(5), $"stopping took {stopTook}");
        // It left the group: the other instance owns every partition.
        var remaining = await system.WaitForProcessorsAsync(status => status.Instances.Count == 1 && ProcessorPool.OwnsEveryPartitionOnce(status));
        Assert.NotEqual(leaving.InstanceId, Assert.Single(remaining.Instances).InstanceId);

        foreach (var accepted in reports)
        {
            var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(2));
            Assert.Equal(ReportStatus.Completed, report.Status);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped {leaving.InstanceId} in {stopTook.TotalSeconds:F1} s while LP was down");
        await system.ScaleToAsync(1);
    }
}
