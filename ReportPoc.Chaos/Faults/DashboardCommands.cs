using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.Chaos.Faults;

/// <summary>
/// The dashboard's commands, run as a person clicks them (Aspire's ResourceCommandService), and the resource states the
/// dashboard shows. A resource id is a resource's name or one replica's id (processor-abcd1234).
/// </summary>
internal sealed class DashboardCommands(IServiceProvider services, ILogger log)
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromMinutes(2);

    private readonly ResourceCommandService _commands = services.GetRequiredService<ResourceCommandService>();
    private readonly ResourceNotificationService _notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly DistributedApplicationModel _model = services.GetRequiredService<DistributedApplicationModel>();

    /// <summary>Whether this app has the resource with that command (the dev broker and a crashable PostgreSQL exist in local mode only).</summary>
    public bool Offers(string resourceName, string command) =>
        _model.Resources.FirstOrDefault(resource => resource.Name == resourceName)?.Annotations.OfType<ResourceCommandAnnotation>()
            .Any(annotation => annotation.Name == command) == true;

    public async Task<bool> RunAsync(string resourceId, string command, CancellationToken cancellationToken)
    {
        var result = await _commands.ExecuteCommandAsync(resourceId, command, cancellationToken);
        if (!result.Success)
        {
            log.LogWarning("{Command} on {Resource} did not succeed: {Message}", command, resourceId, result.Message);
        }

        return result.Success;
    }

    /// <summary>Waits until the resource has stopped: exited, finished or failed (a crash ends in one of these).</summary>
    public Task WaitUntilStoppedAsync(string resourceId, CancellationToken cancellationToken) =>
        WaitForAsync(resourceId, snapshot => KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text), "to stop", cancellationToken);

    /// <summary>Starts a stopped resource and waits until it runs with health checks passed on the new process.</summary>
    public async Task<bool> StartAndWaitUntilHealthyAsync(string resourceId, CancellationToken cancellationToken)
    {
        var requested = DateTime.UtcNow - TimeSpan.FromSeconds(1);
        if (!await RunAsync(resourceId, KnownResourceCommands.StartCommand, cancellationToken))
        {
            return false;
        }

        // Health reports from before the crash linger in the snapshot: only checks run on the new process count.
        await WaitForAsync(resourceId, snapshot =>
            snapshot.State?.Text == KnownResourceStates.Running
            && snapshot.StartTimeStamp >= requested
            && snapshot.HealthStatus == HealthStatus.Healthy
            && snapshot.HealthReports.All(report => report.LastRunAt >= snapshot.StartTimeStamp), "to run healthy", cancellationToken);
        return true;
    }

    private Task<ResourceEvent> WaitForAsync(string resourceId, Func<CustomResourceSnapshot, bool> condition, string what, CancellationToken cancellationToken) =>
        WaitForAsync(update => (update.ResourceId == resourceId || update.Resource.Name == resourceId) && condition(update.Snapshot),
            $"{resourceId} {what}", cancellationToken);

    private async Task<ResourceEvent> WaitForAsync(Func<ResourceEvent, bool> condition, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StateTimeout);
        try
        {
            // The watch starts with every resource's current state, so a state already reached is seen at once.
            await foreach (var update in _notifications.WatchAsync(timeout.Token))
            {
                if (condition(update))
                {
                    return update;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: said below.
        }

        throw new TimeoutException($"Waited {StateTimeout} for {what}.");
    }
}
