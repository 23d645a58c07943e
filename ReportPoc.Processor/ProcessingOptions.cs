using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Processor;

/// <summary>Configuration section <c>Processing</c>: how much one instance works on, and its rules for retrying, pausing and stopping.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    /// <summary>Reports worked on at once by one instance; not tied to the partition count (order is kept per key).</summary>
    [Range(1, 10_000)]
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Attempts LP may refuse before the report is dead-lettered and Failed. Outages never count.</summary>
    [Range(1, 100)]
    public int MaxRejectedAttempts { get; set; } = 3;

    /// <summary>Attempts that may end in an unexpected exception before the message is dead-lettered and the report Failed.</summary>
    [Range(1, 100)]
    public int MaxUnexpectedErrors { get; set; } = 3;

    /// <summary>Backoff between retries of one report: exponential from this, with full jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Consecutive "unavailable" answers from a dependency (LP or the database) after which the instance pauses its
    /// partitions and probes the dependency instead of sending it reports. One transient error is retried; a run of
    /// them is an outage.
    /// </summary>
    [Range(1, 1000)]
    public int PauseAfterConsecutiveFailures { get; set; } = 3;

    /// <summary>First wait before probing a paused dependency; doubles up to <see cref="ProbeMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.01", "00:01:00")]
    public TimeSpan ProbeInitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between probes: bounds how late a paused instance notices the dependency is back.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan ProbeMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With every lane busy, how long the consumer waits for one to end before it pauses its partitions: longer than a
    /// report takes when LP keeps up (LPRUN ≈ 1 s), so lanes started together need no pause; short, because rebalance
    /// callbacks and errors are served only while it polls. 500 ms left a quarter of the lanes idle, 2 s none
    /// (docs/benchmarks.md, issue 22).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan FullWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long Consume waits for a message: the loop's tick for commits and pause/resume decisions.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00.01", "00:01:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// When partitions are revoked, how long their in-flight work may take to finish before it is cancelled. The new
    /// owner starts only after this, so it stays short; cancelled work is redelivered and the LPRUN claim keeps it single.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RevokeGrace { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// On shutdown, how long in-flight reports may take to finish before they are cancelled and handed back. With
    /// CancelTimeout and leaving the group it must fit in the time an orchestrator waits before it kills a stopping
    /// process (Aspire's DCP: about 10 s); what does not finish is redelivered, and the LPRUN claim keeps it single.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long cancelled work may take to stop (it only has to notice the cancellation).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan CancelTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// On shutdown, how long leaving the consumer group may take at least; what drain and cancel did not use adds to it.
    /// Leaving waits for a rebalance under way; an instance that could not leave in time is dropped by the group after
    /// its session timeout instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan LeaveTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The consumer's whole share of a graceful stop: drain, cancel and leave the group.</summary>
    public TimeSpan StopTimeout => DrainTimeout + CancelTimeout + LeaveTimeout;

    /// <summary>How often the instance reports itself (partitions, in flight, pauses) for the Api's page.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest an unchanged instance row goes unwritten: well inside the 5 s after which the Api's page stops showing
    /// an instance (ProcessingProbe.InstanceTimeout), so a live idle instance never drops off it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:00:04")]
    public TimeSpan HeartbeatKeepAlive { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A report in flight for longer than this counts as stuck in the reports.processor.stuck gauge.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(2);
}
