using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReportPoc.AppHost.Chaos;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>Crashes and restarts the app's processes the way an operator (or the OS) would: SIGKILL, then the dashboard's Start.</summary>
public static class ResourceControl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>kill -9 on the resource's process: no graceful shutdown, nothing flushed or committed.</summary>
    public static async Task KillAsync(this DistributedApplication app, string resourceName)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var running = await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            update => update.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
        var pid = ProcessCrash.ProcessIdOf(running.Snapshot) ?? throw new InvalidOperationException(
            $"{resourceName} shows no process id; its properties: {string.Join(", ", running.Snapshot.Properties.Select(property => $"{property.Name}={property.Value}"))}");
        ProcessCrash.KillTree(pid);

        await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), timeout.Token);
    }

    public static async Task StopAsync(this DistributedApplication app, string resourceName)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, $"Stopping {resourceName}: {result.Message}");
        await app.ResourceNotifications.WaitForResourceAsync(resourceName,
            update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>Starts a stopped or crashed resource again and waits until its health checks pass.</summary>
    public static async Task StartAsync(this DistributedApplication app, string resourceName)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var requested = DateTime.UtcNow - TimeSpan.FromSeconds(1);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceName, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"Starting {resourceName}: {result.Message}");
        // Health reports from before the crash linger in the snapshot: wait for checks run on the new process.
        await app.ResourceNotifications.WaitForResourceAsync(resourceName, update =>
            update.Snapshot.State?.Text == KnownResourceStates.Running
            && update.Snapshot.StartTimeStamp >= requested
            && update.Snapshot.HealthStatus == HealthStatus.Healthy
            && update.Snapshot.HealthReports.All(report => report.LastRunAt >= update.Snapshot.StartTimeStamp), timeout.Token);
    }
}
