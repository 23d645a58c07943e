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

    /// <summary>
    /// A processor that stalls without dying (SIGSTOP: a long GC pause, a starved VM) past its consumer session and the
    /// LPRUN claim's lease. Its partitions move while it holds claims whose runs LP is executing; the other instance
    /// follows those runs through LP's lookup and finishes the reports while it is still frozen, and when it thaws its
    /// late answers change nothing: LP has run each report once.
    /// </summary>
    [Fact]
    public async Task AProcessorFrozenPastItsSessionAndTheLeaseHasItsReportsFinishedByAnotherAndLpRunsEachOnce()
    {
        var lease = TimeSpan.FromSeconds(30); // Workflow:RunClaimLease, the processor's default
        var before = await system.Lp.StatsAsync();
        await system.ScaleToAsync(2);
        string? frozen = null;
        var accepted = new List<AcceptedReport>();
        try
        {
            // LPRUN ≈ 22 s (150 ms × 150), setQueue 3 s: the frozen instance's runs are still running at LP when its
            // session expires (10 s) and its partitions move. Eight reports fit LP's capacity, so all run at once.
            await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 150));
            for (var i = 0; i < 8; i++)
            {
                accepted.Add(await system.Api.SubmitAsyncReportAsync());
            }

            await Eventually.TrueAsync(async () =>
            {
                var ledger = await Task.WhenAll(accepted.Select(report => system.Lp.LedgerForAsync(report.Id)));
                return ledger.All(entry => entry is { RunCalls: 1 });
            }, TimeSpan.FromSeconds(30));
            var busy = await system.WaitForProcessorsAsync(status => status.Instances.Sum(instance => instance.InFlight) == accepted.Count);
            var victim = busy.Instances.MaxBy(instance => instance.InFlight)!;
            var survivor = busy.Instances.Single(instance => instance.InstanceId != victim.InstanceId).InstanceId;
            await system.App.FreezeAsync(victim.InstanceId);
            frozen = victim.InstanceId;
            var frozenAt = DateTime.UtcNow;

            // Its session expired: the other instance owns every partition, and finishes the frozen one's reports too.
            await system.WaitForProcessorsAsync(status =>
                status.Instances.Any(instance => instance.InstanceId == survivor && instance.Partitions.Count == ReportPocApp.Partitions), TimeSpan.FromMinutes(1));
            foreach (var report in accepted)
            {
                var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));
                Assert.Equal(ReportStatus.Completed, finished.Status);
            }

            Assert.True(system.App.IsFrozen(frozen), $"{frozen} thawed before its reports were finished by {survivor}");
            Assert.True(victim.InFlight > 0, "the frozen instance held no report");

            // Frozen past the claims' lease too, so whatever it sends when it thaws is late by any rule.
            var frozenFor = DateTime.UtcNow - frozenAt;
            if (frozenFor < lease + TimeSpan.FromSeconds(5))
            {
                await Task.Delay(lease + TimeSpan.FromSeconds(5) - frozenFor, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            if (frozen is not null)
            {
                await system.App.ThawAsync(frozen);
            }

            await system.Lp.HealAsync();
        }

        // Thawed, it rejoins the group; its late answers changed no report and ran nothing again.
        try
        {
            await system.WaitForProcessorsAsync(status => status.Instances.Count == 2 && ProcessorPool.IsBalanced(status));
        }
        finally
        {
            await system.ScaleToAsync(1);
        }

        foreach (var report in accepted)
        {
            using var status = await system.Api.GetAsync(report.StatusUrl, TestContext.Current.CancellationToken);
            Assert.Equal(ReportStatus.Completed, (await status.ReadReportAsync()).Status);
            var ledger = await system.Lp.LedgerForAsync(report.Id);
            Assert.Equal(1, ledger!.RunExecutions);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
    }
}
