using Microsoft.EntityFrameworkCore;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// What the processors report of themselves (their rows in processor_instances) and what the reports table says
/// they completed lately: the page's scale-out panel and its "paused" banner.
/// </summary>
public sealed class ProcessingProbe(ReportsDbContext db, TimeProvider clock)
{
    /// <summary>An instance that has not reported itself for this long is gone (stopped or killed).</summary>
    public static readonly TimeSpan InstanceTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How far back the throughput series goes.</summary>
    public static readonly TimeSpan ThroughputWindow = TimeSpan.FromMinutes(3);

    public async Task<ProcessingStatus> MeasureAsync(long? backlog, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var seenSince = now - InstanceTimeout;
        var instances = await db.ProcessorInstances.AsNoTracking()
            .Where(instance => instance.SeenAt >= seenSince)
            .OrderBy(instance => instance.StartedAt)
            .Select(instance => new ProcessorInstanceStatus(instance.InstanceId, instance.StartedAt, instance.SeenAt, instance.Partitions,
                instance.InFlight, instance.Completed, instance.PausedFor, instance.PausedSince, instance.PauseReason))
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
            (backlog ?? 0) + instances.Sum(instance => instance.InFlight));
        return new ProcessingStatus(instances, perSecond, pause);
    }
}
