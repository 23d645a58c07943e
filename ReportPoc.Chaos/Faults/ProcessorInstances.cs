using System.Net.Http.Json;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Chaos.Faults;

/// <summary>A processor instance the drill killed or froze: its replica's id in the dashboard, and what it last reported of itself.</summary>
internal sealed record StruckInstance(string ReplicaId, ProcessorInstanceStatus LastSeen);

/// <summary>
/// The processor instances as a person drives and sees them: the pool's Add/Remove commands, each instance's Crash and
/// Start, and the instances with their partitions as the Api reports them (GET /api/system, what the page shows).
/// </summary>
internal sealed class ProcessorInstances(HttpClient api, DashboardCommands dashboard, IReadOnlyList<int> partitions)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The processors as the Api last saw them, or null while it cannot tell (the database is down).</summary>
    public async Task<ProcessingStatus?> StatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await api.GetFromJsonAsync<SystemStatus>("/api/system", cancellationToken))?.Processing;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null; // no answer (the Api is busy or gone): asked again
        }
    }

    /// <summary>
    /// Adds or removes instances through the pool, one at a time as a person would (each change seen before the next),
    /// until <paramref name="instances"/> run and own every partition once.
    /// </summary>
    public async Task ScaleToAsync(int instances, CancellationToken cancellationToken)
    {
        var running = (await StatusAsync(cancellationToken))?.Instances.Count
            ?? throw new InvalidOperationException("The Api cannot tell which processor instances run.");
        for (; running != instances; running += running < instances ? 1 : -1)
        {
            if (!(running < instances ? await AddOneAsync(running + 1, cancellationToken) : await RemoveOneAsync(running - 1, cancellationToken)))
            {
                throw new InvalidOperationException(
                    $"The processor pool could not go from {running} to {instances} instances (does Processor:MaxReplicas allow {instances}?).");
            }
        }

        await WaitUntilWholeAsync(instances, cancellationToken);
    }

    /// <summary>
    /// Graceful stop of one instance (it hands its work back and leaves the group), then the survivors own every
    /// partition. False when the pool could not stop one (its command says why).
    /// </summary>
    public async Task<bool> RemoveOneAsync(int remaining, CancellationToken cancellationToken)
    {
        if (!await dashboard.RunAsync(ResourceNames.ProcessorPool, ResourceCommandNames.RemoveInstance, cancellationToken))
        {
            return false;
        }

        await WaitUntilWholeAsync(remaining, cancellationToken);
        return true;
    }

    /// <summary>One more instance joins the group and partitions move to it. False when the pool could not start one.</summary>
    public async Task<bool> AddOneAsync(int total, CancellationToken cancellationToken)
    {
        if (!await dashboard.RunAsync(ResourceNames.ProcessorPool, ResourceCommandNames.AddInstance, cancellationToken))
        {
            return false;
        }

        await WaitUntilWholeAsync(total, cancellationToken);
        return true;
    }

    /// <summary>
    /// kill -9 on the instance with the most work in flight (its last heartbeat says how much); returns it once its
    /// process is gone, or null when no instance could be killed. Aspire does not restart it: <see cref="RestartAsync"/> does.
    /// </summary>
    public async Task<StruckInstance?> KillBusiestAsync(CancellationToken cancellationToken)
    {
        var killed = await StrikeBusiestAsync(ResourceCommandNames.Crash, cancellationToken);
        if (killed is not null)
        {
            await dashboard.WaitUntilStoppedAsync(killed.ReplicaId, cancellationToken);
        }

        return killed;
    }

    /// <summary>SIGSTOP on the instance with the most work in flight; null when no instance could be frozen. <see cref="ThawAsync"/> undoes it.</summary>
    public Task<StruckInstance?> FreezeBusiestAsync(CancellationToken cancellationToken) =>
        StrikeBusiestAsync(ResourceCommandNames.Freeze, cancellationToken);

    public Task<bool> ThawAsync(StruckInstance frozen, CancellationToken cancellationToken) =>
        dashboard.RunAsync(frozen.ReplicaId, ResourceCommandNames.Thaw, cancellationToken);

    private async Task<StruckInstance?> StrikeBusiestAsync(string command, CancellationToken cancellationToken)
    {
        var candidates = (await StatusAsync(cancellationToken))?.Instances
            .OrderByDescending(instance => instance.InFlight).ThenBy(instance => instance.InstanceId, StringComparer.Ordinal).ToList() ?? [];
        foreach (var candidate in candidates)
        {
            // An instance reports itself by its dashboard id (processor-abcd1234), which the commands take.
            if (await dashboard.RunAsync(candidate.InstanceId, command, cancellationToken))
            {
                return new StruckInstance(candidate.InstanceId, candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Start on a killed instance, as a person would; returns when the new process reports itself (the killed one cannot:
    /// a report seen after the start is the new process's).
    /// </summary>
    public async Task RestartAsync(StruckInstance killed, CancellationToken cancellationToken)
    {
        var requested = DateTimeOffset.UtcNow;
        if (await dashboard.RunAsync(killed.ReplicaId, KnownResourceCommands.StartCommand, cancellationToken))
        {
            await WaitUntilAsync(status => status.Instances.Any(instance => instance.InstanceId == killed.LastSeen.InstanceId && instance.SeenAt > requested),
                $"{killed.ReplicaId} to report itself again", cancellationToken);
        }
    }

    /// <summary>Waits until exactly <paramref name="instances"/> report themselves and own every partition once between them.</summary>
    private Task WaitUntilWholeAsync(int instances, CancellationToken cancellationToken) =>
        WaitUntilAsync(status =>
        {
            var owned = status.Instances.SelectMany(instance => instance.Partitions).Order().ToList();
            return status.Instances.Count == instances && (instances == 0 || owned.SequenceEqual(partitions));
        }, $"{instances} instance(s) to own the {partitions.Count} partitions", cancellationToken);

    private async Task WaitUntilAsync(Func<ProcessingStatus, bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SettleTimeout;
        while (await StatusAsync(cancellationToken) is not { } status || !condition(status))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {SettleTimeout} for {what}.");
            }

            await Task.Delay(Poll, cancellationToken);
        }
    }
}
