using ReportPoc.Benchmark.Load;

namespace ReportPoc.Benchmark.SameLoad;

/// <summary>The backlog a moment into a same-load run: reports submitted and not yet final (seconds from the first send).</summary>
public sealed record BacklogSample(double AtSeconds, int Backlog);

/// <summary>
/// One path under one offered load (open loop, a fixed rate for a fixed time), report by report: how long until the
/// client had its acknowledgement, how long until the report was Completed, how the backlog grew and how long it took
/// to drain once the load stopped. The sync path's acknowledgement is its answer, which comes with the final report.
/// </summary>
/// <param name="Load">below, at or above LP's limit (<see cref="SameLoadLevels"/>).</param>
/// <param name="LoadFraction">The offered rate as a share of LP's limit (capacity ÷ LPRUN).</param>
/// <param name="Errors">Submissions not acknowledged (no 202 on the async path, no 200 on the sync path).</param>
/// <param name="Unfinished">Acknowledged reports not final when the run gave up waiting.</param>
/// <param name="ToCompleted">From the send to Completed: the async path adds the report's own completedAt − acceptedAt to its acknowledgement.</param>
/// <param name="PeakBacklog">The most reports submitted and not yet final at once.</param>
/// <param name="BacklogAtLoadEnd">Reports submitted and not yet final when the load stopped.</param>
/// <param name="DrainSeconds">From the load's end to the last report's final state; null when some never got there.</param>
public sealed record SameLoadResult(
    string Path,
    string Load,
    double LoadFraction,
    double OfferedPerSecond,
    double LpLimitPerSecond,
    double Seconds,
    int Sent,
    int Acknowledged,
    int Completed,
    int Failed,
    int Errors,
    int Unfinished,
    LatencySummary Ack,
    LatencySummary ToCompleted,
    int PeakBacklog,
    int BacklogAtLoadEnd,
    double? DrainSeconds,
    IReadOnlyList<BacklogSample> Backlog)
{
    /// <summary>How fast the backlog grew while the load lasted, in reports a second.</summary>
    public double BacklogGrowthPerSecond => Seconds > 0 ? BacklogAtLoadEnd / Seconds : double.NaN;

    /// <summary>What LP alone allows: the backlog at the load's end, worked off at LP's limit.</summary>
    public double ExpectedDrainSeconds => LpLimitPerSecond > 0 ? BacklogAtLoadEnd / LpLimitPerSecond : double.NaN;

    /// <summary>A test run or another ReportPoc system was seen on this machine during the run.</summary>
    public bool Disturbed { get; init; }
}

/// <summary>The offered loads of the same-load comparison, as shares of LP's limit: below it, at it, and twice it.</summary>
public static class SameLoadLevels
{
    public const string Below = "below";
    public const string At = "at";
    public const string Above = "above";

    public static readonly IReadOnlyList<(string Load, double Fraction)> All = [(Below, 0.5), (At, 1.0), (Above, 2.0)];
}
