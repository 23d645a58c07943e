using ReportPoc.Chaos.Results;
using ReportPoc.Chaos.Submissions;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Chaos.Faults;

/// <summary>
/// One fault of the schedule: what a person would do to the running system, and undo. <c>RunAsync</c> starts the
/// arrivals it is given once the fault is in effect, so reports arrive during it, and returns when both are over.
/// </summary>
internal sealed record FaultStep(string Name, Func<Func<Task>, CancellationToken, Task> RunAsync);

/// <summary>What the faults did, as they were met.</summary>
internal sealed class FaultTally
{
    public int ProcessorKills { get; set; }
    public int InFlightAtKills { get; set; }
    public int InstancesRemoved { get; set; }
    public int InstancesAdded { get; set; }
    public int ProcessorFreezes { get; set; }
    public TimeSpan FrozenFor { get; set; }
    public int InFlightAtFreezes { get; set; }
    public TimeSpan LpOutage { get; set; }
    public long LpFailedCallsInOutage { get; set; }
    public int PostgresCrashes { get; set; }
    public TimeSpan PostgresDown { get; set; }
    public int BrokerBlips { get; set; }
    public int BrokerRestarts { get; set; }
}

/// <summary>
/// The faults of one drill (issue 9's proof), one after another while reports flow: processor instances killed with
/// SIGKILL and started again, one removed gracefully and one added (rebalances with work in flight), one frozen with
/// SIGSTOP past its session and the LPRUN claim's lease and thawed, broker blips, one broker of three down and back
/// (partition leadership and the group coordinator move, and move back), an LP outage, PostgreSQL crashed and started
/// again after a pause. Throughout, LP fails a share of calls, a gateway in front of it answers a share of LPRUN calls
/// with 502/504 while LP runs them, and LP refuses a few reports for good. A time-boxed fault lasts its time whatever the arrivals do (a client waiting out a 503 must
/// not keep the broker down), and undoes itself, also when the drill is cancelled. While a fault is in effect (from
/// the moment it took hold to its undoing) the Api's answers count in its phase (<see cref="DrillPhases"/>); a fault
/// this setup cannot cause counts nothing.
/// </summary>
internal sealed class FaultSchedule(ChaosOptions options, ProcessorInstances processors, DashboardCommands dashboard, LpAdmin lp, ApiAnswers answers, ILogger log)
{
    /// <summary>A person notices a crashed instance and starts it again.</summary>
    private static readonly TimeSpan RestartAfter = TimeSpan.FromSeconds(3);

    public FaultTally Tally { get; } = new();

    /// <summary>LP while the faults last: transient errors, a gateway's answers that prove nothing, and the reports it refuses for good.</summary>
    public LpFaults DuringFaults => new(ErrorRate: options.LpErrorRate, RejectRate: options.LpRejectRate, GatewayErrorRate: options.LpGatewayErrorRate);

    /// <summary>LP after the last fault: it still refuses the same reports (its verdict on them, not a fault), nothing else.</summary>
    public LpFaults AfterFaults => new(RejectRate: options.LpRejectRate);

    /// <summary>The faults in order; the drill sends a wave of reports into each.</summary>
    public IReadOnlyList<FaultStep> Steps =>
    [
        new("SIGKILL a processor instance", KillAndRestartAsync),
        new("broker blip", BrokerBlipAsync),
        new($"one broker of three down ({options.BrokerRestart.TotalSeconds:F0} s, leader change)", OneBrokerDownAsync),
        new("remove an instance, add one", RemoveAndAddAsync),
        new($"freeze a processor instance ({options.ProcessorFreeze.TotalSeconds:F0} s, SIGSTOP then SIGCONT)", FreezeAndThawAsync),
        new("SIGKILL a processor instance", KillAndRestartAsync),
        new($"LP outage ({options.LpOutage.TotalSeconds:F0} s)", LpOutageAsync),
        new($"PostgreSQL down ({options.PostgresDown.TotalSeconds:F0} s)", PostgresDownAsync),
        new("broker blip", BrokerBlipAsync),
    ];

    private async Task KillAndRestartAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        if (await processors.KillBusiestAsync(cancellationToken) is not { } victim)
        {
            log.LogWarning("No processor instance could be killed this time.");
            await arrivals();
            return;
        }

        Tally.ProcessorKills++;
        Tally.InFlightAtKills += victim.LastSeen.InFlight;
        log.LogWarning("Fault: SIGKILL to {Instance} with {InFlight} report(s) in flight.", victim.ReplicaId, victim.LastSeen.InFlight);
        await HoldAsync(DrillPhases.ProcessorFaults, arrivals, RestartAfter, () => processors.RestartAsync(victim, CancellationToken.None), cancellationToken);
    }

    /// <summary>
    /// The busiest instance stalls without dying: it keeps its claims and sockets while its session expires and its
    /// partitions move; the others finish its reports, and what it does after thawing must change nothing.
    /// </summary>
    private async Task FreezeAndThawAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        if (await processors.FreezeBusiestAsync(cancellationToken) is not { } frozen)
        {
            log.LogWarning("No processor instance could be frozen this time.");
            await arrivals();
            return;
        }

        var since = DateTimeOffset.UtcNow;
        Tally.ProcessorFreezes++;
        Tally.InFlightAtFreezes += frozen.LastSeen.InFlight;
        log.LogWarning("Fault: SIGSTOP to {Instance} with {InFlight} report(s) in flight, for {Seconds} s.",
            frozen.ReplicaId, frozen.LastSeen.InFlight, options.ProcessorFreeze.TotalSeconds);
        await HoldAsync(DrillPhases.ProcessorFaults, arrivals, options.ProcessorFreeze, async () =>
        {
            await processors.ThawAsync(frozen, CancellationToken.None);
            Tally.FrozenFor += DateTimeOffset.UtcNow - since;
        }, cancellationToken);
    }

    /// <summary>A failed graceful stop is reported, not retried: the step then adds no instance either.</summary>
    private async Task RemoveAndAddAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        Task arriving;
        log.LogWarning("Fault: one processor instance stopped gracefully; its partitions move to the others.");
        using (answers.During(DrillPhases.ProcessorFaults))
        {
            arriving = arrivals();
            if (await processors.RemoveOneAsync(options.Instances - 1, cancellationToken))
            {
                Tally.InstancesRemoved++;
                log.LogWarning("Fault: one processor instance added; partitions move to it.");
                if (await processors.AddOneAsync(options.Instances, cancellationToken))
                {
                    Tally.InstancesAdded++;
                }
            }
        }

        await arriving;
    }

    private async Task BrokerBlipAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        if (!dashboard.Offers(ResourceNames.DevBroker, ResourceCommandNames.BrokerDown))
        {
            log.LogInformation("No broker blip: only local mode's dev broker can be taken down from the dashboard.");
            await arrivals();
            return;
        }

        if (!await dashboard.RunAsync(ResourceNames.DevBroker, ResourceCommandNames.BrokerDown, cancellationToken))
        {
            await arrivals();
            return;
        }

        Tally.BrokerBlips++;
        log.LogWarning("Fault: broker down for {Seconds} s.", options.BrokerBlip.TotalSeconds);
        await HoldAsync(DrillPhases.BrokerOutage, arrivals, options.BrokerBlip,
            () => dashboard.RunAsync(ResourceNames.DevBroker, ResourceCommandNames.BrokerUp, CancellationToken.None), cancellationToken);
    }

    /// <summary>A broker restart in a three-broker cluster: what leads on it and what it coordinates moves to another, then back.</summary>
    private async Task OneBrokerDownAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        if (!dashboard.Offers(ResourceNames.DevBroker, ResourceCommandNames.OneBrokerDown)
            || !await dashboard.RunAsync(ResourceNames.DevBroker, ResourceCommandNames.OneBrokerDown, cancellationToken))
        {
            log.LogInformation("No single-broker fault: only local mode's dev broker takes one of its brokers down from the dashboard.");
            await arrivals();
            return;
        }

        Tally.BrokerRestarts++;
        log.LogWarning("Fault: broker 1 of 3 down for {Seconds} s; its partitions and the group coordinator move.", options.BrokerRestart.TotalSeconds);
        await HoldAsync(DrillPhases.BrokerOutage, arrivals, options.BrokerRestart,
            () => dashboard.RunAsync(ResourceNames.DevBroker, ResourceCommandNames.OneBrokerUp, CancellationToken.None), cancellationToken);
    }

    private async Task LpOutageAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        var before = await lp.StatsAsync(cancellationToken);
        await lp.SetFaultsAsync(DuringFaults with { Outage = true }, cancellationToken);
        var started = DateTimeOffset.UtcNow;
        log.LogWarning("Fault: LP outage for {Seconds} s.", options.LpOutage.TotalSeconds);
        await HoldAsync(DrillPhases.LpOutage, arrivals, options.LpOutage, async () =>
        {
            Tally.LpFailedCallsInOutage = (await lp.StatsAsync(CancellationToken.None)).FailedCalls - before.FailedCalls;
            await lp.SetFaultsAsync(DuringFaults, CancellationToken.None);
            Tally.LpOutage = DateTimeOffset.UtcNow - started;
        }, cancellationToken);
    }

    /// <summary>Local mode's PostgreSQL is crashed (kill -9); a container can only be stopped; external mode has none to take down.</summary>
    private async Task PostgresDownAsync(Func<Task> arrivals, CancellationToken cancellationToken)
    {
        var command = dashboard.Offers(ResourceNames.Postgres, ResourceCommandNames.Crash) ? ResourceCommandNames.Crash
            : dashboard.Offers(ResourceNames.Postgres, KnownResourceCommands.StopCommand) ? KnownResourceCommands.StopCommand
            : null;
        if (command is null)
        {
            log.LogInformation("PostgreSQL is not this app's resource (external mode): it is not taken down.");
            await arrivals();
            return;
        }

        if (!await dashboard.RunAsync(ResourceNames.Postgres, command, cancellationToken))
        {
            await arrivals();
            return;
        }

        await dashboard.WaitUntilStoppedAsync(ResourceNames.Postgres, cancellationToken);
        var downSince = DateTimeOffset.UtcNow;
        Tally.PostgresCrashes++;
        log.LogWarning("Fault: PostgreSQL down ({Command}) for {Seconds} s.", command, options.PostgresDown.TotalSeconds);
        await HoldAsync(DrillPhases.DatabaseOutage, arrivals, options.PostgresDown, async () =>
        {
            await dashboard.StartAndWaitUntilHealthyAsync(ResourceNames.Postgres, CancellationToken.None);
            Tally.PostgresDown = DateTimeOffset.UtcNow - downSince;
        }, cancellationToken);
    }

    /// <summary>
    /// With the fault in effect: the arrivals start, the fault is held for its time and undone, then the arrivals are
    /// awaited. The Api's answers count in <paramref name="phase"/> until the undoing has finished.
    /// </summary>
    private async Task HoldAsync(string phase, Func<Task> arrivals, TimeSpan duration, Func<Task> undo, CancellationToken cancellationToken)
    {
        Task arriving;
        using (answers.During(phase))
        {
            arriving = arrivals();
            try
            {
                await Task.Delay(duration, cancellationToken);
            }
            finally
            {
                await undo();
            }
        }

        await arriving;
    }
}
