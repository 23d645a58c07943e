using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The chaos drill (ReportPoc.Chaos) in the suite's smaller size (<see cref="ReportPocApp"/>), run through the dashboard
/// command a person clicks. With 3 processor instances it kills instances and starts them again, removes one and adds
/// one, freezes one (SIGSTOP) past its session and thaws it, blips the broker, has LP fail 20% of calls, a gateway
/// answer 502/504 to some LPRUN calls LP runs all the same, LP refuse some reports for good and go down, and crashes
/// PostgreSQL; a share of the reports is also sent to the sync path with the same Idempotency-Key. Every figure of its
/// result is asserted, and that each fault met the run.
/// </summary>
public sealed class ChaosTests(ReportPocApp system)
{
    [Fact]
    public async Task EveryAcceptedReportEndsOnceAndOnlyLpRefusalsFailThroughKillsFreezesRebalancesAndOutages()
    {
        var instancesBefore = (await system.Api.SystemAsync()).Processing!.Instances.Count;
        var options = system.App.Services.GetRequiredService<IOptions<ChaosOptions>>().Value;
        var startedAt = DateTimeOffset.UtcNow;

        // The command bounds itself (Chaos:SettleBound and the drill's budget) and fails with its summary line.
        var command = await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Chaos, ResourceCommandNames.RunChaos, TestContext.Current.CancellationToken);
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.Chaos, out var chaos));
        var result = ChaosResultProperties.ReadFrom(chaos.Snapshot);
        Assert.True(result is not null, $"The drill published no result: {command.Message}");
        TestContext.Current.TestOutputHelper?.WriteLine(result.SummaryLine);

        // Every accepted report reached a final state, once, within the stated time after the last fault.
        Assert.Equal(result.Reports, result.Accepted);
        Assert.Equal(0, result.Lost);
        Assert.Equal(result.Accepted, result.Completed + result.Failed);
        Assert.Equal(0, result.DuplicateLpRuns);
        Assert.True(result.SettledAfterLastFault <= result.SettleBound, $"settled {result.SettledAfterLastFault} after the last fault, bound {result.SettleBound}");

        // Only LP's refusals failed, each of them dead-lettered: no outage, crash or rebalance failed a report.
        Assert.True(result.RejectedByLp >= 1, "LP refused no report: the Failed path was not exercised.");
        Assert.Equal(result.RejectedByLp, result.Failed);
        Assert.True(result.FailedAreRejected, "The Failed reports are not the reports LP refused.");
        Assert.Equal(result.Failed, result.DeadLettered);
        Assert.True(result.DeadLettersAreFailed, "The dead-letter topic does not hold exactly the Failed reports.");

        // The faults met the run, not slept through.
        Assert.True(result.ProcessorKills >= 1, "No processor instance was killed.");
        Assert.True(result.InstancesRemoved >= 1, "No instance was removed.");
        Assert.True(result.InstancesAdded >= 1, "No instance was added.");
        Assert.True(result.ProcessorFreezes >= 1 && result.FrozenFor >= options.ProcessorFreeze, $"No instance was frozen for {options.ProcessorFreeze}.");
        Assert.True(result.LpGatewayErrors >= 1, "No LPRUN call got a gateway's 502/504.");
        Assert.True(result.SyncRepeats >= 1, "No report was sent to both paths with one key.");
        Assert.Equal(0, result.SyncRepeatsUnexpected);
        Assert.True(result.PartitionHandovers >= 1, "No partition moved between instances.");
        Assert.True(result.LpFailedCallsInOutage > 0, $"LP's outage ({result.LpOutage}) met no call.");
        Assert.True(result.LpFailedCalls > result.LpFailedCallsInOutage, "LP's transient errors failed no call outside the outage.");
        Assert.True(result.PostgresCrashes >= 1 && result.PostgresDown > TimeSpan.Zero, "PostgreSQL was not crashed.");
        Assert.True(result.BrokerBlips >= 1, "The broker never went down.");
        Assert.True(result.BrokerRestarts >= 1, "No single broker went down (no leader change).");

        Assert.True(result.Passed);
        Assert.True(command.Success, command.Message);

        // The same result, with the drill's size and LP's profile, is in the file the evidence report reads.
        var record = await ChaosDrillRecord.ReadAsync(options.ResultPath, TestContext.Current.CancellationToken);
        Assert.True(record.FinishedAt > startedAt, $"{options.ResultPath} holds a drill that finished at {record.FinishedAt}, before this one started.");
        Assert.Equal(result, record.Result);
        Assert.Equal(options.Reports, record.Drill.Reports);
        Assert.True(record.LpProfile.LpRunLatencyMs > 0 && record.LpCapacity > 0, "The record does not say which LP the drill met.");

        // The Api's answers were counted in the calm wave and while each fault was in effect: the evidence report judges
        // the Api's latency and errors during each fault against the calm phase from these.
        var phases = record.ApiDuringFaults.ToDictionary(figures => figures.Phase);
        foreach (var phase in new[] { DrillPhases.Calm, DrillPhases.ProcessorFaults, DrillPhases.BrokerOutage, DrillPhases.LpOutage, DrillPhases.DatabaseOutage })
        {
            Assert.True(phases.TryGetValue(phase, out var figures) && figures.Requests > 0, $"No submission was sent while the drill's {phase} phase was in effect.");
        }

        Assert.True(record.ApiDuringFaults.Sum(figures => figures.Refused) <= result.Answered503, "More refusals counted per phase than 503s answered.");

        // The drill leaves the processors as it found them.
        await system.WaitForProcessorsAsync(status => status.Instances.Count == instancesBefore && ProcessorPool.OwnsEveryPartitionOnce(status));
    }
}
