using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// "Crash (kill -9)": a dashboard command that kills a resource (or one replica of it) the way a crash looks — no
/// graceful shutdown, nothing flushed or committed. Aspire does not restart it; its Start command does. The chaos
/// drill and the tests crash processors and PostgreSQL through this same command.
/// </summary>
public static class CrashCommand
{
    public const string Name = ResourceCommandNames.Crash;

    public static IResourceBuilder<T> WithCrashCommand<T>(this IResourceBuilder<T> resource) where T : IResource =>
        resource.WithCommand(Name, "Crash (kill -9)", context =>
        {
            var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
            if (!notifications.TryGetCurrentState(context.ResourceName, out var current) || ProcessTree.RootOf(current.Snapshot) is not { } pid)
            {
                return Task.FromResult(CommandResults.Failure($"{context.ResourceName} has no process to kill right now."));
            }

            var killed = ProcessTree.Kill(pid);
            return Task.FromResult(CommandResults.Success($"Killed {context.ResourceName} (pid {pid}, {killed} process(es)) with SIGKILL."));
        }, new CommandOptions
        {
            IconName = "ErrorCircle",
            Description = "Kill the process with SIGKILL, as a crash would: no graceful shutdown. Start it again with Start.",
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
}
