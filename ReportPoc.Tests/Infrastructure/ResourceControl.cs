using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>
/// Crashes, freezes and restarts the app's processes the way an operator would: the dashboard's Crash (kill -9),
/// Freeze (SIGSTOP) and Thaw (SIGCONT), Stop and Start.
/// </summary>
public static class ResourceControl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>kill -9 on the resource's process (a resource id: a name, or one replica's id): nothing flushed or committed.</summary>
    public static async Task KillAsync(this DistributedApplication app, string resourceId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await app.WaitForAsync(resourceId, update => update.Snapshot.State?.Text == KnownResourceStates.Running, timeout.Token);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, CrashCommand.Name, timeout.Token);
        Assert.True(result.Success, $"Crashing {resourceId}: {result.Message}");
        await app.WaitForAsync(resourceId, update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>SIGSTOP on the resource's processes: alive, holding what they hold, doing nothing until <see cref="ThawAsync"/>.</summary>
    public static async Task FreezeAsync(this DistributedApplication app, string resourceId)
    {
        await RunAsync(app, resourceId, ResourceCommandNames.Freeze);
        // A signal is delivered when the process is next scheduled: the state shows it a moment later.
        await Eventually.TrueAsync(() => Task.FromResult(IsFrozen(app, resourceId)), TimeSpan.FromSeconds(5));
    }

    /// <summary>SIGCONT, whatever the test's cancellation says: a test must never leave a frozen process behind.</summary>
    public static async Task ThawAsync(this DistributedApplication app, string resourceId) =>
        await RunAsync(app, resourceId, ResourceCommandNames.Thaw, CancellationToken.None);

    /// <summary>Whether the resource's process is stopped by a signal (state T in /proc/[pid]/stat).</summary>
    public static bool IsFrozen(this DistributedApplication app, string resourceId)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resourceId, out var current), $"{resourceId} is not a resource");
        var pid = current.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2] == 'T';
    }

    private static async Task RunAsync(DistributedApplication app, string resourceId, string command, CancellationToken? cancellationToken = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken ?? TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, command, timeout.Token);
        Assert.True(result.Success, $"{command} on {resourceId}: {result.Message}");
    }

    public static async Task StopAsync(this DistributedApplication app, string resourceId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, $"Stopping {resourceId}: {result.Message}");
        await app.WaitForAsync(resourceId, update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>Starts a stopped or crashed resource again and waits until its health checks pass.</summary>
    public static async Task StartAsync(this DistributedApplication app, string resourceId)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var requested = DateTime.UtcNow - TimeSpan.FromSeconds(1);
        var result = await app.ResourceCommands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"Starting {resourceId}: {result.Message}");
        // Health reports from before the crash linger in the snapshot: wait for checks run on the new process.
        await app.WaitForAsync(resourceId, update =>
            update.Snapshot.State?.Text == KnownResourceStates.Running
            && update.Snapshot.StartTimeStamp >= requested
            && update.Snapshot.HealthStatus == HealthStatus.Healthy
            && update.Snapshot.HealthReports.All(report => report.LastRunAt >= update.Snapshot.StartTimeStamp), timeout.Token);
    }

    /// <summary>
    /// Waits for a resource's state by its id: a name for a single resource, or one replica's id ("processor-abcd1234"),
    /// which the notification service's own waits do not match (they match names). Polls the current state, so a state
    /// reached before the wait began counts too.
    /// </summary>
    private static async Task WaitForAsync(this DistributedApplication app, string resourceId, Func<ResourceEvent, bool> predicate, CancellationToken cancellationToken)
    {
        while (!(app.ResourceNotifications.TryGetCurrentState(resourceId, out var current) && predicate(current)))
        {
            await Task.Delay(100, cancellationToken);
        }
    }
}
