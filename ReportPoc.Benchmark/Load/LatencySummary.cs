using HdrHistogram;

namespace ReportPoc.Benchmark.Load;

/// <summary>Percentiles of one histogram, in milliseconds (recorded in microseconds).</summary>
public sealed record LatencySummary(long Count, double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary From(HistogramBase histogram) => histogram.TotalCount == 0
        ? new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN)
        : new LatencySummary(
            histogram.TotalCount,
            histogram.GetMean() / 1000.0,
            histogram.GetValueAtPercentile(50) / 1000.0,
            histogram.GetValueAtPercentile(90) / 1000.0,
            histogram.GetValueAtPercentile(99) / 1000.0,
            histogram.GetMaxValue() / 1000.0);

    /// <summary>Up to an hour in microseconds at three significant digits: a sync request under overload still fits.</summary>
    public static LongHistogram NewHistogram() => new(TimeSpan.FromHours(1).Ticks / 10, 3);
}
