using System.Collections.Concurrent;
using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// A graceful stop is bounded (docs/design.md §5.6): the instance finishes or hands back its work, commits what
/// finished and leaves the group inside its host's shutdown timeout, so it exits by itself before the orchestrator's
/// ~10 s kill; its work completes once, here or elsewhere.
/// </summary>
public sealed class GracefulStopTests(ReportPocApp system)
{
    /// <summary>What ReportConsumer logs once it has committed and closed the consumer (left the group).</summary>
    private const string LeftTheGroup = "Left the consumer group after committing finished work";

    private const string HandedBack = "unfinished report(s) on shutdown";

    [Fact]
    public async Task AnInstanceStoppedWhileLpIsDownLeavesTheGroupAndExitsByItselfAndItsWorkCompletesOnce()
    {
        var before = await system.Lp.StatsAsync();
        var two = await system.ScaleToAsync(2);
        var leaving = two.Instances.OrderBy(instance => instance.InstanceId, StringComparer.Ordinal).Last();
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        var reports = new List<AcceptedReport>();
        StoppedInstance stopped;
        try
        {
            for (var i = 0; i < 20; i++)
            {
                reports.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // Both instances have met the outage and paused with work in hand.
            await system.WaitForProcessorsAsync(status => status.Instances.Count == 2 && status.Instances.All(instance => instance.PausedFor == "LP"),
                TimeSpan.FromSeconds(30));
            stopped = await StopAsync(leaving.InstanceId);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        stopped.AssertLeftTheGroupAndExitedByItself();
        Assert.Contains(stopped.Log, line => line.Contains(HandedBack, StringComparison.Ordinal)); // it did have work it could not finish
        var remaining = await system.WaitForProcessorsAsync(status => status.Instances.Count == 1 && ProcessorPool.OwnsEveryPartitionOnce(status));
        Assert.NotEqual(leaving.InstanceId, Assert.Single(remaining.Instances).InstanceId);

        foreach (var accepted in reports)
        {
            var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(2));
            Assert.Equal(ReportStatus.Completed, report.Status);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped {leaving.InstanceId} in {stopped.Took.TotalSeconds:F1} s while LP was down");
        await system.ScaleToAsync(1);
    }

    [Fact]
    public async Task AnInstanceStoppedWithRunsInFlightFinishesThemLeavesTheGroupAndExitsByItself()
    {
        var before = await system.Lp.StatsAsync();
        var two = await system.ScaleToAsync(2);
        var leaving = two.Instances.OrderBy(instance => instance.InstanceId, StringComparer.Ordinal).Last();
        // LPRUN takes about 1.5 s: the runs admitted before the stop are still running when it begins, and end within
        // the 4 s drain.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
        var reports = new List<AcceptedReport>();
        StoppedInstance stopped;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                reports.Add(await system.Api.SubmitAsyncReportAsync());
            }

            await system.WaitForProcessorsAsync(status => status.Instances.Any(instance => instance.InstanceId == leaving.InstanceId && instance.InFlight > 0),
                TimeSpan.FromSeconds(30));
            stopped = await StopAsync(leaving.InstanceId);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        stopped.AssertLeftTheGroupAndExitedByItself();
        Assert.DoesNotContain(stopped.Log, line => line.Contains(HandedBack, StringComparison.Ordinal)); // the drain finished them
        foreach (var accepted in reports)
        {
            var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1));
            Assert.Equal(ReportStatus.Completed, report.Status);
            Assert.Equal(1, (await system.Lp.CallsForAsync(report.Id)).RunExecutions);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
        TestContext.Current.TestOutputHelper?.WriteLine($"stopped {leaving.InstanceId} in {stopped.Took.TotalSeconds:F1} s with runs in flight");
        await system.ScaleToAsync(1);
    }

    /// <summary>
    /// Stops one replica as the dashboard's Stop does, with its console log from the stop to its exit. A replica started
    /// again keeps its id and its earlier runs' lines, so only lines stamped from the stop on count.
    /// </summary>
    private async Task<StoppedInstance> StopAsync(string instanceId)
    {
        var log = new ConcurrentQueue<string>();
        var stopAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var logs = system.App.Services.GetRequiredService<ResourceLoggerService>();
        var watch = Task.Run(async () =>
        {
            await foreach (var batch in logs.WatchAsync(instanceId).WithCancellation(watching.Token))
            {
                foreach (var line in batch.Where(line => StampOf(line.Content) >= stopAt))
                {
                    log.Enqueue(line.Content);
                }
            }
        }, watching.Token);

        var clock = Stopwatch.StartNew();
        await system.App.StopAsync(instanceId);
        var took = clock.Elapsed;
        // The last lines may reach the log service just after the exit is seen; the assertion says what was missing.
        for (var waited = 0; waited < 50 && !log.Any(line => line.Contains(LeftTheGroup, StringComparison.Ordinal)); waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        await watching.CancelAsync();
        await Task.WhenAny(watch); // ends cancelled
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(instanceId, out var state));
        return new StoppedInstance(instanceId, [.. log], state.Snapshot.ExitCode, took);
    }

    /// <summary>The time a console log line starts with ("2026-12-03T19:31:12.8260000Z …"), or the earliest time when it has none.</summary>
    private static DateTimeOffset StampOf(string line) =>
        DateTimeOffset.TryParse(line.Split(' ', 2)[0], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var stamp)
            ? stamp
            : DateTimeOffset.MinValue;

    private sealed record StoppedInstance(string InstanceId, IReadOnlyList<string> Log, int? ExitCode, TimeSpan Took)
    {
        /// <summary>
        /// The consumer closed (committed, left the group) before the process ended, and the process ended by itself
        /// (exit code 0), not by the orchestrator's kill after ~10 s.
        /// </summary>
        public void AssertLeftTheGroupAndExitedByItself()
        {
            Assert.True(Log.Any(line => line.Contains(LeftTheGroup, StringComparison.Ordinal)),
                $"{InstanceId} exited without logging \"{LeftTheGroup}\"; its last lines: {string.Join(" | ", Log.TakeLast(5))}");
            Assert.Equal(0, ExitCode);
        }
    }
}
