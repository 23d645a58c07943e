using ReportPoc.Benchmark.Processes;

namespace ReportPoc.Benchmark.Soak;

/// <summary>First, last and peak of one quantity, and whether it still rose in the second half of the run.</summary>
/// <param name="SecondHalfRise">Median of the last fifth of the samples minus the median of the middle fifth.</param>
public sealed record Trend(double First, double Last, double Peak, double SecondHalfRise, bool Growing);

/// <summary>One process over the soak.</summary>
public sealed record ProcessTrend(string Name, int Pid, int Samples, Trend Threads, Trend OpenFiles, Trend RssMb, double MeanCpuPercent,
    IReadOnlyList<ProcessSample> Timeline)
{
    public bool Growing => Threads.Growing || OpenFiles.Growing || RssMb.Growing;

    /// <summary>
    /// Growth is judged on the second half only (start-up fills pools and caches, which is not a leak): a quantity grows
    /// when the median of the last fifth of the samples is above the median of the middle fifth by more than a
    /// threshold — 3 threads, 10 file descriptors, or 10 % of the RSS and at least 15 MB.
    /// </summary>
    public static ProcessTrend From(SystemProcess process, IReadOnlyList<ProcessSample> samples) => new(
        process.Name, process.Pid, samples.Count,
        TrendOf(samples, sample => sample.Threads, rise => rise >= 3),
        TrendOf(samples, sample => sample.OpenFiles, rise => rise >= 10),
        TrendOf(samples, sample => sample.RssMb, rise => rise >= 15 && rise >= 0.1 * Median(samples.Select(sample => sample.RssMb).ToList())),
        // The first sample has no interval behind it.
        samples.Skip(1).Select(sample => sample.CpuPercent).DefaultIfEmpty(double.NaN).Average(),
        samples);

    private static Trend TrendOf(IReadOnlyList<ProcessSample> samples, Func<ProcessSample, double> value, Func<double, bool> isGrowth)
    {
        if (samples.Count == 0)
        {
            return new Trend(double.NaN, double.NaN, double.NaN, double.NaN, false);
        }

        var values = samples.Select(value).ToList();
        var fifth = Math.Max(1, values.Count / 5);
        var middle = Median(values.Skip(values.Count * 2 / 5).Take(fifth).ToList());
        var end = Median(values.TakeLast(fifth).ToList());
        var rise = end - middle;
        return new Trend(values[0], values[^1], values.Max(), rise, isGrowth(rise));
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
