using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Data;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Writes this instance's row in processor_instances every Processing:HeartbeatInterval: the partitions it owns, its
/// work in flight (and its limit), what it has completed, and whether it has paused for an unavailable dependency. The Api's page
/// shows the rows seen lately; a graceful stop deletes the row, a crash leaves it to go stale.
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
        var row = await db.ProcessorInstances.FindAsync([ThisInstance.Id], cancellationToken);
        if (row is null)
        {
            row = new ProcessorInstance { InstanceId = ThisInstance.Id };
            db.ProcessorInstances.Add(row);
        }

        // A crashed earlier run of this instance leaves its row behind; this run started now.
        row.StartedAt = _startedAt;
        var outage = dependencies.Outage;
        row.SeenAt = clock.GetUtcNow();
        row.Partitions = [.. partitions.Partitions];
        row.InFlight = partitions.Running;
        row.MaxInFlight = options.Value.MaxInFlight;
        row.Completed = telemetry.Completed;
        row.PausedFor = outage?.Dependency;
        row.PausedSince = outage?.Since;
        row.PauseReason = outage?.Reason;
        await db.SaveChangesAsync(cancellationToken);
    }
}
