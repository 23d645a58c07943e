using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Data;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Keeps this instance's row in processor_instances: the partitions it owns, its work in flight (and its limit), what it
/// has completed, and whether it has paused for an unavailable dependency. Every Processing:HeartbeatInterval it writes
/// what changed, and an unchanged row at least every Processing:HeartbeatKeepAlive, so an idle instance costs the
/// database (and its telemetry) one statement every few seconds instead of two a second. The Api's page shows the rows
/// seen lately; a graceful stop deletes the row, a crash leaves it to go stale.
/// </summary>
internal sealed class InstanceHeartbeat(
    IServiceScopeFactory scopes,
    AssignedPartitions partitions,
    Dependencies dependencies,
    ProcessorTelemetry telemetry,
    IOptions<ProcessingOptions> options,
    TimeProvider clock,
    ILogger<InstanceHeartbeat> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private InstanceSnapshot? _written;
    private DateTimeOffset _writtenAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, clock);
        do
        {
            try
            {
                await WriteAsync(stoppingToken);
            }
            catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
            {
                logger.LogDebug("Heartbeat not written: {Reason}", exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
            await db.ProcessorInstances.Where(instance => instance.InstanceId == ThisInstance.Id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception) || exception is OperationCanceledException)
        {
            logger.LogDebug("Instance row not removed: {Reason}", exception.Message);
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        var outage = dependencies.Outage;
        var snapshot = new InstanceSnapshot([.. partitions.Partitions], partitions.Running, telemetry.Completed, outage?.Dependency,
            outage?.Since, outage?.Reason);
        var now = clock.GetUtcNow();
        if (snapshot == _written && now - _writtenAt < options.Value.HeartbeatKeepAlive)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
        var maxInFlight = options.Value.MaxInFlight;
        var updated = await db.ProcessorInstances.Where(instance => instance.InstanceId == ThisInstance.Id)
            .ExecuteUpdateAsync(row => row
                .SetProperty(instance => instance.StartedAt, _startedAt) // a crashed earlier run of this instance leaves its row behind
                .SetProperty(instance => instance.SeenAt, now)
                .SetProperty(instance => instance.Partitions, snapshot.Partitions)
                .SetProperty(instance => instance.InFlight, snapshot.InFlight)
                .SetProperty(instance => instance.MaxInFlight, maxInFlight)
                .SetProperty(instance => instance.Completed, snapshot.Completed)
                .SetProperty(instance => instance.PausedFor, snapshot.PausedFor)
                .SetProperty(instance => instance.PausedSince, snapshot.PausedSince)
                .SetProperty(instance => instance.PauseReason, snapshot.PauseReason), cancellationToken);
        if (updated == 0)
        {
            db.ProcessorInstances.Add(new ProcessorInstance
            {
                InstanceId = ThisInstance.Id, StartedAt = _startedAt, SeenAt = now, Partitions = snapshot.Partitions, InFlight = snapshot.InFlight,
                MaxInFlight = maxInFlight, Completed = snapshot.Completed, PausedFor = snapshot.PausedFor, PausedSince = snapshot.PausedSince,
                PauseReason = snapshot.PauseReason,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        _written = snapshot;
        _writtenAt = now;
    }

    /// <summary>What the row says besides when it was seen; equal snapshots need no write until the keep-alive is due.</summary>
    private sealed record InstanceSnapshot(int[] Partitions, int InFlight, long Completed, string? PausedFor, DateTimeOffset? PausedSince,
        string? PauseReason)
    {
        public bool Equals(InstanceSnapshot? other) => other is not null && Partitions.AsSpan().SequenceEqual(other.Partitions)
            && InFlight == other.InFlight && Completed == other.Completed && PausedFor == other.PausedFor && PausedSince == other.PausedSince
            && PauseReason == other.PauseReason;

        public override int GetHashCode() => HashCode.Combine(Partitions.Length, InFlight, Completed, PausedFor);
    }
}
