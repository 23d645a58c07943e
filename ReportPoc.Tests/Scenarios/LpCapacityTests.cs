using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Operations;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// LP's capacity changed from the dashboard while reports flow moves the bottleneck, and /api/system (what the page
/// says) follows: LP-bound at capacity 1, the processors once LP is out of the way. Runs are slowed so the backlog
/// outlasts both judgements.
/// </summary>
public sealed class LpCapacityTests(ReportPocApp system)
{
    private const int Reports = 120;

    /// <summary>Lp:Capacity in the suite's app, which the "as configured" preset restores.</summary>
    private const int ConfiguredCapacity = 8;

    [Fact]
    public async Task TheCapacityCommandMovesTheBottleneckFromLpToTheProcessors()
    {
        await system.ScaleToAsync(1);
        var accepted = new List<AcceptedReport>();
        SystemStatus lpBound, processorBound;
        try
        {
            await system.SetLpCapacityOrFailAsync(1);
            Assert.Equal(1, (await system.Lp.StatsAsync()).Capacity);
            await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
            for (var i = 0; i < Reports; i++)
            {
                accepted.Add(await system.Api.SubmitAsyncReportAsync());
            }

            lpBound = await WaitForSystemAsync(status => status.Processing?.Bottleneck == Bottleneck.Lp);

            await system.LpCapacityPresetAsync(LpCapacityCommands.UnboundedCapacityCommand);
            Assert.Equal(LpCapacityCommands.OutOfTheWay, (await system.Lp.StatsAsync()).Capacity);
            // The judgement is a snapshot: for a moment after the raise the instance's reports are still on their way to
            // LP (setQueue), which reads as "machine". Settled, it is the processors.
            processorBound = await WaitForSystemAsync(status => status.Processing is { Bottleneck: Bottleneck.Processors });
        }
        finally
        {
            await system.Lp.HealAsync();
            await system.LpCapacityPresetAsync(LpCapacityCommands.ConfiguredCapacityCommand);
        }

        Assert.Equal(ConfiguredCapacity, (await system.Lp.StatsAsync()).Capacity);
        // LP-bound: its one slot busy, runs queued behind it while the instance holds many reports in flight.
        Assert.Equal(1, lpBound.Lp!.InFlightRuns);
        Assert.True(lpBound.Lp.WaitingRuns > 0, "no LPRUN waited for a slot");
        // Raised while the backlog is still there: LP runs many at once, nobody waits for a slot, and the one instance
        // is the limit (at its in-flight limit, with five of the six partitions left for another instance).
        Assert.Equal(Bottleneck.Processors, processorBound.Processing!.Bottleneck);
        Assert.True(processorBound.Lp!.InFlightRuns > 1, $"LP ran {processorBound.Lp.InFlightRuns} LPRUN at once after the raise");
        Assert.Equal(0, processorBound.Lp.WaitingRuns);

        foreach (var report in accepted)
        {
            Assert.Equal(ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(2))).Status);
        }
    }

    [Fact]
    public async Task TheCapacityCommandRefusesANumberLpCannotTake()
    {
        var before = (await system.Lp.StatsAsync()).Capacity;
        var result = await system.SetLpCapacityAsync("0");

        Assert.False(result.Success, "capacity 0 was accepted");
        Assert.Equal(before, (await system.Lp.StatsAsync()).Capacity);
    }

    private async Task<SystemStatus> WaitForSystemAsync(Func<SystemStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        SystemStatus? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = await system.Api.SystemAsync();
            if (condition(seen))
            {
                return seen;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Not reached within 30 s; last seen: bottleneck {seen?.Processing?.Bottleneck}, LP {seen?.Lp?.InFlightRuns} running / " +
            $"{seen?.Lp?.WaitingRuns} waiting of {seen?.Lp?.Capacity}, in flight {string.Join(", ", seen?.Processing?.Instances.Select(i => $"{i.InFlight}/{i.MaxInFlight}") ?? [])}");
        return seen!;
    }
}
