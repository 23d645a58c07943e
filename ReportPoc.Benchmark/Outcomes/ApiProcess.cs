using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Processes;

namespace ReportPoc.Benchmark.Outcomes;

/// <summary>The Api's threads and memory over a measurement; NaN when its process is not on this machine.</summary>
public sealed record ApiUsage(double MeanThreads, int MaxThreads, double MeanRssMb, double MaxRssMb)
{
    public static readonly ApiUsage Unknown = new(double.NaN, 0, double.NaN, double.NaN);

    public static ApiUsage Of(IReadOnlyDictionary<SystemProcess, IReadOnlyList<ProcessSample>> watched) =>
        watched.Values.SingleOrDefault() is { Count: > 0 } samples
            ? new ApiUsage(samples.Average(s => s.Threads), samples.Max(s => s.Threads), samples.Average(s => s.RssMb), samples.Max(s => s.RssMb))
            : Unknown;
}

/// <summary>The measured system's Api process (one instance), watched twice a second while a measurement runs.</summary>
public static class ApiProcess
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public static ProcessWatch Watch(SystemUnderTest system) =>
        new(system.Kafka is { } kafka ? [.. SystemProcesses.Find(kafka).Where(process => process.Name == "ReportPoc.Api").Take(1)] : [], Interval);
}
