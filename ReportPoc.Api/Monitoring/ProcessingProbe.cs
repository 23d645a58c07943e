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
    /// An instance counts as busy from this share of its in-flight limit: it pauses its partitions at the limit and
    /// refills after resuming them, so a heartbeat often catches a saturated instance a few reports below the limit.
    /// </summary>
    public const double BusyShare = 0.75;

    private static string? PauseReasonFor(string? dependency) =>
        dependency is null ? null : $"{dependency} is unavailable: the processors wait, probe it and resume by themselves.";

    /// <summary>
    /// With LP out of the way a report spends most of its time in LPRUN (≈ 1 s of ≈ 1.15 s by default); when fewer
    /// than this share of the reports in flight are in an LPRUN, the processors' own work (CPU, database) dominates.
    /// </summary>
    public const double InLpShare = 0.5;

    public async Task<ProcessingStatus> MeasureAsync(Backlog? backlog, LpStats? lp, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var seenSince = now - InstanceTimeout;
        var instances = await db.ProcessorInstances.AsNoTracking()
            .Where(instance => instance.SeenAt >= seenSince)
            .OrderBy(instance => instance.StartedAt)
            .Select(instance => new ProcessorInstanceStatus(instance.InstanceId, instance.StartedAt, instance.SeenAt, instance.Partitions,
                instance.InFlight, instance.MaxInFlight, instance.Completed, instance.PausedFor, instance.PausedSince, null))
            .ToListAsync(cancellationToken);
        // The processor stores why it paused (an exception's text, hosts and ports): the operators' to read in its log.
        instances = instances.Select(instance => instance with { PauseReason = PauseReasonFor(instance.PausedFor) }).ToList();

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
        var pause = paused is null ? null : new ProcessingPause(paused.PausedFor!, paused.PausedSince!.Value, paused.PauseReason!,
            (backlog?.Messages ?? 0) + instances.Sum(instance => instance.InFlight));
        return new ProcessingStatus(instances, perSecond, pause, Judge(instances, pause, lp, backlog));
    }

    /// <summary>
    /// What limits the throughput now, in order: a pause explains everything; without an instance nothing is processed;
    /// LP at capacity with runs waiting for a slot caps every instance at once. Then the processors' side:
    /// <list type="bullet">
    /// <item>the machine, when reports wait in Kafka while the instances leave in-flight slots empty (their consume
    /// loops lack CPU), or when the slots are full but most reports in flight are not in an LPRUN (their CPU and
    /// database work dominates; only judged without injected LP errors, whose retries also wait outside LP);</item>
    /// <item>the instances, when each that owns a partition works at its in-flight limit: another instance helps while
    /// a partition is left for it, and the partition count caps it once each partition has its own instance.</item>
    /// </list>
    /// LP's state, the backlog or the partition count unknown (unreachable) counts as no limit.
    /// </summary>
    public static Bottleneck Judge(IReadOnlyList<ProcessorInstanceStatus> instances, ProcessingPause? pause, LpStats? lp, Backlog? backlog)
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
        if (owners.Count == 0)
        {
            return Bottleneck.None; // a rebalance between owners
        }

        var inFlight = instances.Sum(instance => instance.InFlight);
        if (!owners.All(IsBusy))
        {
            // The backlog counts the uncommitted reports in flight (and those finished since the last commit): only
            // more than the instances could take at once is work they leave waiting.
            var waiting = backlog is { } kafka && kafka.Messages - inFlight > owners.Sum(instance => instance.MaxInFlight);
            return waiting ? Bottleneck.Machine : Bottleneck.None;
        }

        if (lp is { Faults: { ErrorRate: 0, RejectRate: 0 } } && lp.InFlightRuns < inFlight * InLpShare)
        {
            return Bottleneck.Machine;
        }

        return owners.Count >= backlog?.Partitions ? Bottleneck.Partitions : Bottleneck.Processors;
    }

    private static bool IsBusy(ProcessorInstanceStatus instance) =>
        instance.MaxInFlight > 0 && instance.InFlight >= Math.Ceiling(instance.MaxInFlight * BusyShare);
}
