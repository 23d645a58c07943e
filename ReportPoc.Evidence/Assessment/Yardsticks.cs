namespace ReportPoc.Evidence.Assessment;

/// <summary>
/// The criteria the verdicts are computed against: the yardsticks of docs/design.md §11, with the targets the benchmark states
/// beside each ratio (ReportPoc.Benchmark's summary line). Ratios measured in one run, never absolute times alone.
/// </summary>
public static class Yardsticks
{
    /// <summary>Async accept p99 at most this share of sync p99 at the same concurrency ("drastically faster": 100×).</summary>
    public const double AsyncOverSyncP99 = 0.01;

    /// <summary>Async accept throughput at least this share of the same machine's trivial endpoint at the same concurrency.</summary>
    public const double AsyncOverBaselineThroughput = 0.5;

    /// <summary>One processor, LP-bound, completes at least this share of LP's limit (capacity ÷ LPRUN latency).</summary>
    public const double ProcessorOverLpLimit = 0.9;

    /// <summary>With LP capacity out of the way, two processor instances complete at least this many times what one does.</summary>
    public const double TwoOverOneInstances = 1.8;
}
