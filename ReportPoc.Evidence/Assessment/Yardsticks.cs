namespace ReportPoc.Evidence.Assessment;

/// <summary>
/// The criteria the verdicts are computed against: the yardsticks of docs/design.md §11 and the targets of each round
/// (issues 5, 13, 20, 22), with the benchmark's own. Ratios measured in one run, never absolute times alone.
/// </summary>
public static class Yardsticks
{
    /// <summary>Async accept p99 at most this share of sync p99 at the same concurrency ("drastically faster": 100×).</summary>
    public const double AsyncOverSyncP99 = 0.01;

    /// <summary>Async accept throughput at least this share of the same machine's trivial endpoint at the same concurrency (round 1, the benchmark's own tool).</summary>
    public const double AsyncOverBaselineThroughput = 0.5;

    /// <summary>One processor, LP-bound, completes at least this share of LP's limit (capacity ÷ LPRUN latency).</summary>
    public const double ProcessorOverLpLimit = 0.9;

    /// <summary>
    /// LP-bound, a second instance buys less than this: the system is bounded by LP. More would mean LP was not the
    /// bound (the first instance left LP idle), which the LP-bound finding must show as a miss.
    /// </summary>
    public const double LpBoundGainBelow = 1.2;

    /// <summary>With LP capacity out of the way, two processor instances complete at least this many times what one does.</summary>
    public const double TwoOverOneInstances = 1.8;

    /// <summary>At every offered load the async path acknowledges within this share of the sync path's time (p99).</summary>
    public const double AsyncAckOverSyncAckP99 = 0.1;

    /// <summary>Below LP's limit the async path completes within this many milliseconds of the sync path (p50; issue 13's low-load target).</summary>
    public const double AsyncCompletedSlackMs = 50;

    /// <summary>After twice LP's limit, the backlog drains within this factor of what LP's limit allows (backlog ÷ limit)…</summary>
    public const double DrainOverLpAllows = 1.25;

    /// <summary>…plus this much, for the last report's own LPRUN and the status poll.</summary>
    public const double DrainSlackSeconds = 3;

    /// <summary>During a fault the Api's p99 stays within this factor of its calm p99…</summary>
    public const double FaultP99OverCalm = 2;

    /// <summary>…or within this many milliseconds of it, whichever is larger (a calm p99 of a few ms doubles on noise).</summary>
    public const double FaultP99SlackMs = 50;

    /// <summary>During a fault the Api's error rate exceeds its calm one by at most this (a share of requests).</summary>
    public const double FaultErrorRateSlack = 0.01;

    // Round 2 (issue 13) and round 3 (issue 22).

    /// <summary>Pickup (accepted → inserted) at half LP's limit: p50 and p99 at most these, in milliseconds.</summary>
    public const double PickupP50Ms = 25;

    public const double PickupP99Ms = 100;

    /// <summary>An idle processor uses at most this share of one core.</summary>
    public const double IdleCoreShare = 0.02;

    /// <summary>Async accept at least this share of the same Api's /alive with hey at 64 connections, p99 at most the second figure × /alive's.</summary>
    public const double AcceptOverAliveWithHey = 0.6;

    public const double AcceptP99OverAliveWithHey = 2;

    /// <summary>The soak lasts at least this long, in minutes, with nothing growing.</summary>
    public const double SoakMinutes = 30;

    /// <summary>One instance with LP out of the way completes at least this many reports a second (issue 22).</summary>
    public const double PerInstanceReportsPerSecond = 28;

    /// <summary>The sizing multiplies one instance's figure: at the most instances measured, each still brings this share of one alone.</summary>
    public const double SizingEfficiency = 0.8;
}
