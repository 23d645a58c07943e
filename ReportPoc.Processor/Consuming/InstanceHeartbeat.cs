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
    /// <summary>What the row said when last written, besides when it was seen: unchanged, no write until the keep-alive is due.</summary>
    private (string Partitions, int InFlight, long Completed, string? PausedFor, DateTimeOffset? PausedSince, string? PauseReason)? _written;
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
        var now = clock.GetUtcNow();
        var row = new ProcessorInstance
        {
            InstanceId = ThisInstance.Id,
            StartedAt = _startedAt, // a crashed earlier run of this instance leaves its row behind; this run started now
            SeenAt = now,
            Partitions = [.. partitions.Partitions],
            InFlight = partitions.Running,
            MaxInFlight = options.Value.MaxInFlight,
            Completed = telemetry.Completed,
            PausedFor = outage?.Dependency,
            PausedSince = outage?.Since,
            PauseReason = outage?.Reason,
        };
        var snapshot = (string.Join(',', row.Partitions), row.InFlight, row.Completed, row.PausedFor, row.PausedSince, row.PauseReason);
        if (snapshot == _written && now - _writtenAt < options.Value.HeartbeatKeepAlive)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
        // One UPDATE by key; the first write of a run (or after the row was removed) finds none and inserts.
        db.ProcessorInstances.Update(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            db.ProcessorInstances.Add(row);
            await db.SaveChangesAsync(cancellationToken);
        }

        _written = snapshot;
        _writtenAt = now;
    }
}
