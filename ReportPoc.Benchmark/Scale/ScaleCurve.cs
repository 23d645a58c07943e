using System.Globalization;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Benchmark.Scale;

/// <param name="Efficiency">Throughput per instance against one instance alone (1 = every instance adds a whole one).</param>
/// <param name="Bottleneck">What the Api judged the limit most often during the burst.</param>
/// <param name="PartitionShareBound">
/// What the partitions' shares allow: a burst spreads evenly over the partitions, so the instance that owns the most of
/// them (⌈partitions ÷ instances⌉) sets the pace, and n instances finish at most one alone × partitions ÷ that share.
/// </param>
public sealed record ScalePoint(int Instances, double PerSecond, double PerInstance, double Efficiency, double CpuBusy, Bottleneck? Bottleneck, bool Disturbed,
    double PartitionShareBound)
{
    /// <summary>Instances that cannot share the partitions evenly.</summary>
    public bool UnevenShares(int partitions) => Instances < partitions && partitions % Instances != 0;

    /// <summary>Its throughput is what the uneven shares allow (within 15 %), so the shares, not a lack of resources, hold it.</summary>
    public bool HeldByShares(int partitions) => UnevenShares(partitions) && PerSecond >= ShareTolerance * PartitionShareBound;

    private const double ShareTolerance = 0.85;
}

/// <summary>
/// Processor throughput against instances with LP capacity out of the way, and the ceilings that stop the gain: the
/// machine's cores (busy share of all of them during the burst), the partition count (an instance beyond it owns no
/// partition), and LP's capacity (the LP-bound bursts). Also the partition arithmetic for a production topic.
/// </summary>
public sealed record ScaleCurve(
    IReadOnlyList<ScalePoint> Points,
    int Partitions,
    int Cores,
    double OneInstance,
    int? CpuSaturatedFrom,
    int? GainStopsAfter,
    string? StopReason,
    double TargetRate,
    int PartitionsForTarget,
    int Consumers)
{
    /// <summary>The machine counts as CPU-bound from this busy share of all its cores.</summary>
    public const double CpuSaturated = 0.9;

    /// <summary>An added instance that brings less than this share of one instance alone no longer pays.</summary>
    public const double WorthwhileGain = 0.5;

    public static ScaleCurve? From(IReadOnlyList<ProcessorResult> runs, double targetRate)
    {
        var curve = runs.Where(run => !run.LpBound && run.Instances > 0).OrderBy(run => run.Instances).ToList();
        if (curve.Count == 0 || double.IsNaN(curve[0].PerInstancePerSecond))
        {
            return null;
        }

        // What one instance completes alone is what one consumer of one partition can take: the per-partition rate.
        var oneInstance = curve[0].PerInstancePerSecond;
        var partitions = curve.Max(run => run.Partitions);
        var points = curve.Select(run => new ScalePoint(run.Instances, run.SteadyPerSecond, run.PerInstancePerSecond,
            run.PerInstancePerSecond / oneInstance, run.MeanCpuBusy, run.Bottleneck, run.Disturbed,
            oneInstance * partitions / Math.Ceiling(partitions / (double)Math.Min(run.Instances, partitions)))).ToList();

        // The first step whose added instances each bring less than half of what one does alone, unless the partitions'
        // uneven shares account for it (the curve rises again where the shares even out).
        var stop = points.Zip(points.Skip(1))
            .FirstOrDefault(step => (step.Second.PerSecond - step.First.PerSecond) / (step.Second.Instances - step.First.Instances) < WorthwhileGain * oneInstance
                && !step.Second.HeldByShares(partitions));
        var consumers = points[^1].Instances;
        return new ScaleCurve(points, partitions, Environment.ProcessorCount, oneInstance,
            points.FirstOrDefault(point => point.CpuBusy >= CpuSaturated)?.Instances,
            stop.First?.Instances,
            stop.Second is { } next ? LimitAt(next, partitions) : null,
            targetRate,
            Math.Max(consumers, (int)Math.Ceiling(targetRate / oneInstance)),
            consumers);
    }

    private static string LimitAt(ScalePoint point, int partitions) =>
        point.CpuBusy >= CpuSaturated ? string.Create(CultureInfo.InvariantCulture, $"the machine's {Environment.ProcessorCount} cores ({point.CpuBusy:P0} busy)")
        : point.Instances > partitions ? $"the partition count ({partitions})"
        : "neither the cores nor the partitions (the database or the broker: see the CPU column)";
}
