using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>The processor's instances as one dashboard resource: how many run, and the commands that add or remove one.</summary>
public sealed class ProcessorPoolResource(string name) : Resource(name)
{
    public const string AddInstanceCommand = ResourceCommandNames.AddInstance;
    public const string RemoveInstanceCommand = ResourceCommandNames.RemoveInstance;

    /// <summary>The snapshot property holding how many instances run (or are starting).</summary>
    public const string RunningProperty = "pool.running";
}

/// <summary>
/// Processor instances added and removed while the system runs. All <c>max</c> instances are declared as replicas of
/// the processor (each with its own logs, traces and metrics in the dashboard) and start explicitly; <c>initial</c> of
/// them start with the app. The pool's "Add an instance" / "Remove an instance" commands (or an instance's own
/// Start/Stop) change that. Removing is a graceful stop: the instance finishes or hands back its work and leaves the
/// consumer group, so its partitions move to the others.
/// </summary>
public static class ProcessorPoolExtensions
{
    public static IResourceBuilder<ProcessorPoolResource> AddProcessorPool(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ProjectResource> processor, int initialInstances, int maxInstances)
    {
        if (maxInstances < 1 || initialInstances < 0 || initialInstances > maxInstances)
        {
            throw new InvalidOperationException(
                $"Processor:Replicas ({initialInstances}) must be between 0 and Processor:MaxReplicas ({maxInstances}), which must be at least 1.");
        }

        processor.WithReplicas(maxInstances).WithExplicitStart();
        var pool = new ProcessorPoolResource(name);
        var instances = new PoolInstances(pool, processor.Resource, maxInstances);
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            var stopping = @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            // In the background: an instance's start waits for what it waits for (Kafka, the migrations, LP).
            _ = instances.WatchAsync(@event.Services, stopping);
            _ = instances.StartAsync(@event.Services, initialInstances);
            return Task.CompletedTask;
        });

        return builder.AddResource(pool)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Processor pool",
                State = new ResourceStateSnapshot($"0 of {maxInstances} running", KnownResourceStateStyles.Info),
                Properties = [new(CustomResourceKnownProperties.Source, $"Processor:Replicas={initialInstances}, Processor:MaxReplicas={maxInstances}")],
            })
            .WithCommand(ProcessorPoolResource.AddInstanceCommand, "Add an instance", context => instances.ScaleAsync(context, +1), new CommandOptions
            {
                IconName = "AddCircle",
                IsHighlighted = true,
                Description = $"Start one more processor instance (up to {maxInstances}). It joins the consumer group and partitions move to it.",
            })
            .WithCommand(ProcessorPoolResource.RemoveInstanceCommand, "Remove an instance", context => instances.ScaleAsync(context, -1), new CommandOptions
            {
                IconName = "SubtractCircle",
                Description = "Stop the newest running processor instance gracefully: it hands back its work and leaves the group.",
            })
            .WithRelationship(processor.Resource, "Scales")
            .ExcludeFromManifest();
    }

    /// <summary>The processor's instances (replica ids, which DCP names) and their states, as the notifications tell them.</summary>
    private sealed class PoolInstances(ProcessorPoolResource pool, IResource processor, int expected)
    {
        private readonly ConcurrentDictionary<string, string?> _states = new();
        private readonly TaskCompletionSource _allKnown = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How long a stopping instance may take to leave: well above its graceful shutdown (8 s).</summary>
        private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(30);

        /// <summary>The instances in a stable order (by id), with their current state.</summary>
        private List<(string Id, string? State)> Snapshot() =>
            _states.OrderBy(instance => instance.Key, StringComparer.Ordinal).Select(instance => (instance.Key, instance.Value)).ToList();

        public async Task WatchAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            var notifications = services.GetRequiredService<ResourceNotificationService>();
            try
            {
                await foreach (var update in notifications.WatchAsync(cancellationToken))
                {
                    if (update.Resource != processor || _states.TryGetValue(update.ResourceId, out var known) && known == update.Snapshot.State?.Text)
                    {
                        continue;
                    }

                    _states[update.ResourceId] = update.Snapshot.State?.Text;
                    if (_states.Count >= expected)
                    {
                        _allKnown.TrySetResult();
                    }

                    var running = Snapshot().Count(instance => IsRunningOrStarting(instance.State));
                    await notifications.PublishUpdateAsync(pool, snapshot => snapshot with
                    {
                        State = new ResourceStateSnapshot($"{running} of {expected} running", running > 0 ? KnownResourceStateStyles.Success : KnownResourceStateStyles.Info),
                        Properties = [.. snapshot.Properties.Where(property => !property.Name.StartsWith("instance.", StringComparison.Ordinal) && property.Name != ProcessorPoolResource.RunningProperty),
                            new(ProcessorPoolResource.RunningProperty, running),
                            .. Snapshot().Select(instance => new ResourcePropertySnapshot($"instance.{instance.Id}", instance.State ?? "unknown"))],
                    });
                }
            }
            catch (OperationCanceledException)
            {
                // The app is stopping.
            }
        }

        public async Task StartAsync(IServiceProvider services, int count)
        {
            var logger = services.GetRequiredService<ResourceLoggerService>().GetLogger(pool);
            try
            {
                await _allKnown.Task.WaitAsync(TimeSpan.FromMinutes(1));
            }
            catch (TimeoutException)
            {
                logger.LogWarning("Only {Known} of {Expected} processor instances were announced; starting those", _states.Count, expected);
            }

            var commands = services.GetRequiredService<ResourceCommandService>();
            foreach (var (id, _) in Snapshot().Take(count))
            {
                var result = await commands.ExecuteCommandAsync(id, KnownResourceCommands.StartCommand);
                if (!result.Success)
                {
                    logger.LogWarning("Could not start processor instance {Instance}: {Error}", id, result.Message);
                }
            }
        }

        public async Task<ExecuteCommandResult> ScaleAsync(ExecuteCommandContext context, int change)
        {
            var instances = Snapshot();
            var running = instances.Where(instance => IsRunningOrStarting(instance.State)).ToList();
            var target = change > 0
                ? instances.FirstOrDefault(instance => !IsRunningOrStarting(instance.State)).Id
                : running.LastOrDefault().Id;
            if (target is null)
            {
                return CommandResults.Failure(change > 0
                    ? $"All {instances.Count} processor instances run already (Processor:MaxReplicas)."
                    : "No processor instance is running.");
            }

            var commands = context.Services.GetRequiredService<ResourceCommandService>();
            var result = await commands.ExecuteCommandAsync(target, change > 0 ? KnownResourceCommands.StartCommand : KnownResourceCommands.StopCommand, context.CancellationToken);
            if (!result.Success && change < 0)
            {
                // Aspire's stop gives up after a few seconds of retries, while a graceful leave may take up to the
                // processor's shutdown timeout (8 s) plus `dotnet run`'s own exit: the instance is leaving, not stuck.
                result = await StoppedAsync(target, context.CancellationToken) ? CommandResults.Success() : result;
            }

            return result.Success
                ? CommandResults.Success($"{(change > 0 ? "Started" : "Stopped")} {target}; {running.Count + change} of {instances.Count} instances run.")
                : result;
        }

        /// <summary>Whether the instance reaches a terminal state within <see cref="LeaveTimeout"/>.</summary>
        private async Task<bool> StoppedAsync(string id, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + LeaveTimeout;
            while (DateTime.UtcNow < deadline)
            {
                if (_states.TryGetValue(id, out var state) && state is not null && KnownResourceStates.TerminalStates.Contains(state))
                {
                    return true;
                }

                await Task.Delay(250, cancellationToken);
            }

            return false;
        }

        /// <summary>Running or on its way there; an instance that is stopping no longer counts (it is leaving).</summary>
        private static bool IsRunningOrStarting(string? state) =>
            state is not null && state != KnownResourceStates.NotStarted && state != KnownResourceStates.Stopping
            && !KnownResourceStates.TerminalStates.Contains(state);
    }
}
