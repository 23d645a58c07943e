using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Chaos;

/// <summary>
/// Configuration section <c>Chaos</c>: the size of one drill and how long its faults last. The defaults are the full
/// drill of issue 9's proof; the test suite runs a smaller one (ReportPocApp sets these keys).
/// </summary>
public sealed class ChaosOptions
{
    public const string Section = "Chaos";

    /// <summary>Async reports submitted in one run: at least 1,000 for the full proof.</summary>
    [Range(1, 100_000)]
    public int Reports { get; set; } = 1000;

    /// <summary>The pace within a wave of submissions: a well-behaved client, far below what the Api accepts.</summary>
    [Range(1, 1000)]
    public int SubmitPerSecond { get; set; } = 40;

    /// <summary>Processor instances during the run; the pool must declare as many (Processor:MaxReplicas).</summary>
    [Range(2, 64)]
    public int Instances { get; set; } = 3;

    /// <summary>Share of LP calls that fail transiently (503) while the faults last.</summary>
    [Range(0.0, 1.0)]
    public double LpErrorRate { get; set; } = 0.2;

    /// <summary>
    /// Share of reports LP refuses for good, decided by report id (every attempt of such a report is refused). These,
    /// and only these, may end Failed. It stays in force until the audit is done: a refusal is LP's verdict, not a fault.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LpRejectRate { get; set; } = 0.02;

    /// <summary>
    /// Share of LPRUN calls a gateway in front of LP answers 502/504 while LP runs the report all the same, while the
    /// faults last: an answer that proves nothing, so the claim stays and the run is followed, never sent again.
    /// </summary>
    [Range(0.0, 1.0)]
    public double LpGatewayErrorRate { get; set; } = 0.05;

    /// <summary>
    /// Share of reports the client also sends to the sync path with the same Idempotency-Key right after the async 202
    /// (a client moving between the paths): both paths then work on one report, and LP must still run it once.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SyncRepeatShare { get; set; } = 0.1;

    /// <summary>
    /// A processor instance is frozen (SIGSTOP) this long, then thawed: longer than its consumer session (10 s), so its
    /// partitions move, and than the LPRUN claim's lease (Workflow:RunClaimLease, 30 s), so anything it sends after
    /// thawing is late by every rule.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ProcessorFreeze { get; set; } = TimeSpan.FromSeconds(40);

    /// <summary>LP answers every call with 503 this long: longer than any retry budget, so it must be waited out.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LpOutage { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>PostgreSQL is crashed (kill -9) and started again after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PostgresDown { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Each broker blip: the Api answers 503 meanwhile, and clients retry after Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan BrokerBlip { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one broker of the three stays down (its partitions are led by another meanwhile).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BrokerRestart { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The promise checked: every accepted report is Completed or Failed within this time after the last fault ended.
    /// The backlog left then is worked off at LP's pace (capacity ÷ LPRUN latency: 8/s with the default profile), after
    /// paused instances have noticed the recovery (probes back off to 5 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan SettleBound { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where each finished drill's record is written as JSON (<see cref="Results.ChaosDrillRecord"/>), for the evidence
    /// report; a relative path is taken from the repository root (the AppHost project's parent directory).
    /// </summary>
    [Required]
    public string ResultPath { get; set; } = Path.Combine("artifacts", "chaos", "result.json");

    /// <summary>
    /// The whole command's bound, so a drill that cannot finish says so instead of hanging: the outages, the settle
    /// bound, and room for the rest (waves, restarts of instances, scaling, the audit).
    /// </summary>
    public TimeSpan Budget => LpOutage + PostgresDown + ProcessorFreeze + SettleBound + TimeSpan.FromMinutes(10);
}
