using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Unavailable is not failed (docs/design.md §5.3): an LP outage is waited out, however long, and never spends a report's attempts.
/// The suite's outage is shorter than a real maintenance window but longer than every retry budget the processor ever
/// had (five attempts with backoff up to 10 s failed a report within ~10 s); the chaos drill holds LP down for minutes.
/// An outage takes LP's runs down with it; a cut way to LP (LpFaults.Unreachable) does not, so there a run whose answer
/// was lost is followed by lookup through the cut, and LP runs it once.
/// </summary>
public sealed class LpOutageTests(ReportPocApp system)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(25);

    /// <summary>Workflow:RunClaimLease in the suite's app (its default).</summary>
    private static readonly TimeSpan RunClaimLease = TimeSpan.FromSeconds(30);

    /// <summary>Longer than the claim's lease: a follower that cannot look the run up must not take the claim over for that.</summary>
    private static readonly TimeSpan Cut = RunClaimLease + TimeSpan.FromSeconds(5);

    /// <summary>
    /// Once LP can be reached again a waiting report needs its next try (backoff up to Processing:RetryMaxDelay, 10 s),
    /// the LP gate's probe (up to Processing:ProbeMaxDelay, 5 s) and a run lookup; the rest is room for a busy machine.
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

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

    [Fact]
    public async Task RunsLpFinishesWhileTheWayToItIsCutAreFollowedThroughTheCutNotRunAgain()
    {
        var before = await system.Lp.StatsAsync();

        // Slowed so that runs are executing when the way to LP is cut, and finish behind the cut.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 20));
        var reports = new List<AcceptedReport>();
        for (var i = 0; i < 12; i++)
        {
            reports.Add(await system.Api.SubmitAsyncReportAsync());
        }

        await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).InFlightRuns >= 4, TimeSpan.FromSeconds(30));
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 20, Unreachable: true));
        var cutEnds = DateTime.UtcNow + Cut;
        DateTimeOffset reachable;
        try
        {
            // The cut is met: LPRUN calls lost their answers while LP ran them, and the processor pauses for LP.
            await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).LostRunAnswers > before.LostRunAnswers, TimeSpan.FromSeconds(10));
            var paused = await system.WaitForProcessorsAsync(status => status.Pause is not null, TimeSpan.FromSeconds(20));
            Assert.Equal("LP", paused.Pause!.Dependency);

            // Behind the cut, LP finishes every run it had admitted.
            await Eventually.TrueAsync(async () => await system.Lp.StatsAsync() is { InFlightRuns: 0, WaitingRuns: 0 }, Cut);
            await Task.Delay(cutEnds - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero, TestContext.Current.CancellationToken);
        }
        finally
        {
            await system.Lp.HealAsync();
            reachable = DateTimeOffset.UtcNow;
        }

        var finished = new List<ReportView>();
        foreach (var report in reports)
        {
            finished.Add(await system.Api.WaitUntilFinishedAsync(report.StatusUrl, RecoveryBound + TimeSpan.FromMinutes(1)));
        }

        Assert.All(finished, report => Assert.Equal(ReportStatus.Completed, report.Status));
        var lastCompleted = finished.Max(report => report.Timestamps.CompletedAt!.Value);
        Assert.True(lastCompleted - reachable <= RecoveryBound,
            $"the last report completed {(lastCompleted - reachable).TotalSeconds:F1} s after LP could be reached again (bound {RecoveryBound.TotalSeconds} s)");

        // Each report whose LPRUN answer the cut took was followed, never run again: LP saw one LPRUN call and ran it
        // once, no later LPRUN was even tried (the cut would have answered it), and the report carries LP's run.
        var followed = 0;
        foreach (var report in finished)
        {
            var ledger = await system.Lp.LedgerForAsync(report.Id);
            Assert.NotNull(ledger);
            if (ledger.LostRunAnswers == 0)
            {
                continue;
            }

            followed++;
            Assert.Equal((1, 1, 0), (ledger.RunCalls, ledger.RunExecutions, ledger.UnreachableRunCalls));
            Assert.Equal(ledger.RunId, report.LpRunId);
        }

        Assert.True(followed >= 4, $"only {followed} report(s) lost an LPRUN answer to the cut");
        var after = await system.Lp.StatsAsync();
        Assert.True(after.UnreachableCalls > before.UnreachableCalls, "nothing reached the cut after it began: the lookups and probes were not tried");
        Assert.Equal(before.DuplicateRunExecutions, after.DuplicateRunExecutions);
        await system.WaitForProcessorsAsync(status => status.Pause is null, TimeSpan.FromSeconds(30));
    }
}
