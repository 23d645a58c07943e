using System.Globalization;

namespace ReportPoc.Chaos.Results;

/// <summary>
/// What one chaos drill showed: how every accepted report ended, checked against LP's ledger and the dead-letter topic,
/// and which faults the run actually met (the tests assert both). Published as the chaos resource's properties.
/// </summary>
public sealed record ChaosResult
{
    /// <summary>Reports the drill set out to submit (Chaos:Reports).</summary>
    public required int Reports { get; init; }

    /// <summary>Reports the Api answered 202 for; a report it never accepted is not lost, only not accepted.</summary>
    public required int Accepted { get; init; }

    public required int Completed { get; init; }
    public required int Failed { get; init; }

    /// <summary>Accepted reports not Completed or Failed within the settle bound: accepted − final.</summary>
    public required int Lost { get; init; }

    /// <summary>LPRUN executions LP's strict ledger counted as second runs of a report during the drill.</summary>
    public required long DuplicateLpRuns { get; init; }

    /// <summary>Accepted reports whose LP ledger shows a refusal.</summary>
    public required int RejectedByLp { get; init; }

    /// <summary>The Failed reports are exactly the reports LP refused: no outage or crash failed a report.</summary>
    public required bool FailedAreRejected { get; init; }

    /// <summary>This drill's reports found on the dead-letter topic.</summary>
    public required int DeadLettered { get; init; }

    /// <summary>The dead-letter topic holds exactly the Failed reports.</summary>
    public required bool DeadLettersAreFailed { get; init; }

    /// <summary>From the end of the last fault to the last report reaching a final state (zero if none was left).</summary>
    public required TimeSpan SettledAfterLastFault { get; init; }

    /// <summary>The promise checked (Chaos:SettleBound).</summary>
    public required TimeSpan SettleBound { get; init; }

    // The faults, as met.
    public required int ProcessorKills { get; init; }

    /// <summary>Reports the killed instances had in flight when they were killed (their last heartbeat).</summary>
    public required int InFlightAtKills { get; init; }

    public required int InstancesRemoved { get; init; }
    public required int InstancesAdded { get; init; }

    /// <summary>Partitions seen moving from one processor instance to another during the run (GET /api/system).</summary>
    public required int PartitionHandovers { get; init; }

    public required TimeSpan LpOutage { get; init; }

    /// <summary>LP calls answered 503 while the outage lasted: the outage met work, it was not slept through.</summary>
    public required long LpFailedCallsInOutage { get; init; }

    /// <summary>LP calls answered 503 over the whole run (outage and transient errors).</summary>
    public required long LpFailedCalls { get; init; }

    public required int PostgresCrashes { get; init; }

    /// <summary>From PostgreSQL's exit after the crash to its health checks passing again.</summary>
    public required TimeSpan PostgresDown { get; init; }

    public required int BrokerBlips { get; init; }

    /// <summary>Times one broker of three went down and came back (leader change); 0 in records older than the three-broker dev cluster.</summary>
    public int BrokerRestarts { get; init; }

    /// <summary>Processor instances frozen (SIGSTOP) and thawed, how long, and the reports they held then; 0 in older records.</summary>
    public int ProcessorFreezes { get; init; }

    public TimeSpan FrozenFor { get; init; }

    public int InFlightAtFreezes { get; init; }

    /// <summary>LPRUN calls a gateway answered 502/504 while LP ran them (in older records: 0, the drill had no gateway).</summary>
    public long LpGatewayErrors { get; init; }

    /// <summary>Reports also sent to the sync path with the same Idempotency-Key; those it answered 200 (completed).</summary>
    public int SyncRepeats { get; init; }

    public int SyncRepeatsCompleted { get; init; }

    /// <summary>Sync repeats answered otherwise than the contract allows (a 409 for the same body, a 500, …).</summary>
    public int SyncRepeatsUnexpected { get; init; }

    /// <summary>Submissions the Api answered 503 (broker unavailable) and the client retried.</summary>
    public required int Answered503 { get; init; }

    public required TimeSpan Duration { get; init; }

    public bool SettledInTime => Lost == 0 && SettledAfterLastFault <= SettleBound;

    /// <summary>
    /// Nothing lost, nothing run twice, only LP's refusals failed, each of them dead-lettered, all within the bound, and
    /// every sync repeat answered as the contract says.
    /// </summary>
    public bool Passed => Lost == 0 && DuplicateLpRuns == 0 && FailedAreRejected && DeadLettersAreFailed && SettledInTime && SyncRepeatsUnexpected == 0;

    public string SummaryLine => string.Create(CultureInfo.InvariantCulture,
        $"chaos: accepted={Accepted}/{Reports} completed={Completed} failed={Failed} lost={Lost} duplicateLpRuns={DuplicateLpRuns} " +
        $"rejectedByLp={RejectedByLp} failed=rejected:{YesNo(FailedAreRejected)} deadLetters={DeadLettered} deadLetters=failed:{YesNo(DeadLettersAreFailed)} " +
        $"terminal={Accepted - Lost}/{Accepted} settled={SettledAfterLastFault.TotalSeconds:F1}s after the last fault (bound {SettleBound.TotalSeconds:F0}s) | " +
        $"faults: kills={ProcessorKills} (in flight {InFlightAtKills}) removed={InstancesRemoved} added={InstancesAdded} " +
        $"freezes={ProcessorFreezes} ({FrozenFor.TotalSeconds:F0}s, in flight {InFlightAtFreezes}) handovers={PartitionHandovers} " +
        $"lpOutage={LpOutage.TotalSeconds:F0}s (failed calls {LpFailedCallsInOutage}) lpFailedCalls={LpFailedCalls} lpGatewayErrors={LpGatewayErrors} " +
        $"postgresDown={PostgresDown.TotalSeconds:F0}s (crashes {PostgresCrashes}) brokerBlips={BrokerBlips} (503s {Answered503}) brokerRestarts={BrokerRestarts} " +
        $"syncRepeats={SyncRepeats} (completed {SyncRepeatsCompleted}, unexpected {SyncRepeatsUnexpected}) | " +
        $"{Duration.TotalSeconds:F0}s => {(Passed ? "PASS" : "FAIL")}");

    private static string YesNo(bool value) => value ? "yes" : "NO";
}
