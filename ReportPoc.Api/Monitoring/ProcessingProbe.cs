using Microsoft.EntityFrameworkCore;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// What the processors report of themselves (their rows in processor_instances) and what the reports table says
/// they completed lately: the page's scale-out panel and its "paused" banner, and what limits the throughput.
/// </summary>
public sealed class ProcessingProbe(ReportsDbContext db, TimeProvider clock)
{
    /// <summary>An instance that has not reported itself for this long is gone (stopped or killed).</summary>
    public static readonly TimeSpan InstanceTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How far back the throughput series goes.</summary>
    public static readonly TimeSpan ThroughputWindow = TimeSpan.FromMinutes(3);

    /// <summary>
    /// An instance counts as busy from this share of its in-flight limit: it refills a finished slot on its next poll,
    /// so a heartbeat often catches a saturated instance a report or two below the limit.
    /// </summary>
    public const double BusyShare = 0.9;

    public async Task<ProcessingStatus> MeasureAsync(Backlog? backlog, LpStats? lp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var seenSince = now - InstanceTimeout;
        var instances = await db.ProcessorInstances.AsNoTracking()
            .Where(instance => instance.SeenAt >= seenSince)
            .OrderBy(instance => instance.StartedAt)
            .Select(instance => new ProcessorInstanceStatus(instance.InstanceId, instance.StartedAt, instance.SeenAt, instance.Partitions,
                instance.InFlight, instance.MaxInFlight, instance.Completed, instance.PausedFor, instance.PausedSince, instance.PauseReason))
            .ToListAsync(cancellationToken);

        var completedSince = now - ThroughputWindow;
        var completed = await db.Reports.AsNoTracking()
            .Where(report => report.CompletedAt >= completedSince)
            .Select(report => report.CompletedAt!.Value)
            .ToListAsync(cancellationToken);
        var perSecond = completed
            .GroupBy(at => new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero))
            .OrderBy(second => second.Key)
            .Select(second => new ThroughputSample(second.Key, second.Count()))
            .ToList();

        var paused = instances.Where(instance => instance.PausedFor is not null).OrderBy(instance => instance.PausedSince).FirstOrDefault();
        var pause = paused is null ? null : new ProcessingPause(paused.PausedFor!, paused.PausedSince!.Value, paused.PauseReason ?? "",
            (backlog?.Messages ?? 0) + instances.Sum(instance => instance.InFlight));
        return new ProcessingStatus(instances, perSecond, pause, Judge(instances, pause, lp, backlog?.Partitions));
    }

    /// <summary>
    /// What limits the throughput now, in order: a pause explains everything; without an instance nothing is processed;
    /// LP at capacity with runs waiting caps every instance at once. Otherwise, when every instance that owns a
    /// partition is busy, another instance helps while a partition is left for it, and the partition count caps it
    /// once each partition has its own instance. LP's state or the partition count unknown (unreachable) limits nothing.
    /// </summary>
    public static Bottleneck Judge(IReadOnlyList<ProcessorInstanceStatus> instances, ProcessingPause? pause, LpStats? lp, int? partitions)
    {
        if (pause is not null)
        {
            return Bottleneck.Paused;
        }

        if (instances.Count == 0)
        {
            return Bottleneck.NoProcessors;
        }

        if (lp is { WaitingRuns: > 0 } && lp.InFlightRuns >= lp.Capacity)
        {
            return Bottleneck.Lp;
        }

        var owners = instances.Where(instance => instance.Partitions.Count > 0).ToList();
        if (owners.Count == 0 || !owners.All(IsBusy))
        {
            return Bottleneck.None;
        }

        return owners.Count >= partitions ? Bottleneck.Partitions : Bottleneck.Processors;
    }

    private static bool IsBusy(ProcessorInstanceStatus instance) =>
        instance.MaxInFlight > 0 && instance.InFlight >= Math.Ceiling(instance.MaxInFlight * BusyShare);
}
