using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// "Freeze (SIGSTOP)" and "Thaw (SIGCONT)": a process that stalls without dying, the way a long GC pause, a starved VM
/// or a debugger looks from outside. While frozen it holds what it held (its claims, its sockets) and answers nothing;
/// its consumer-group session expires and its partitions move. Thawed, it carries on as if no time had passed, so
/// whatever it does next is late: that is what the claim's lease and fencing token are for (docs/design.md).
/// </summary>
public static class FreezeCommands
{
    public static IResourceBuilder<T> WithFreezeCommands<T>(this IResourceBuilder<T> resource) where T : IResource =>
        resource
            .WithCommand(ResourceCommandNames.Freeze, "Freeze (SIGSTOP)", context => SignalAsync(context, ProcessTree.StopSignal, "Froze"),
                new CommandOptions
                {
                    IconName = "Pause",
                    Description = "Stop the process with SIGSTOP: it keeps everything it holds and does nothing until Thaw.",
                    UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                })
            .WithCommand(ResourceCommandNames.Thaw, "Thaw (SIGCONT)", context => SignalAsync(context, ProcessTree.ContinueSignal, "Thawed"),
                new CommandOptions
                {
                    IconName = "Play",
                    Description = "Let a frozen process continue with SIGCONT, from exactly where it stopped.",
                    UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
                });

    private static Task<ExecuteCommandResult> SignalAsync(ExecuteCommandContext context, int signal, string done)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        if (!notifications.TryGetCurrentState(context.ResourceName, out var current) || ProcessTree.RootOf(current.Snapshot) is not { } pid)
        {
            return Task.FromResult(CommandResults.Failure($"{context.ResourceName} has no process right now."));
        }

        var reached = ProcessTree.Signal(pid, signal);
        return Task.FromResult(reached > 0
            ? CommandResults.Success($"{done} {context.ResourceName} (pid {pid}, {reached} process(es)).")
            : CommandResults.Failure($"No process of {context.ResourceName} (pid {pid}) received the signal."));
    }
}
