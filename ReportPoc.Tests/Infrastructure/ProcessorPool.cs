using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>
/// The processor instances as a person drives and sees them: the pool's Add/Remove commands in the dashboard, and the
/// instances with their partitions as the Api reports them (GET /api/system, what the page shows).
/// </summary>
public static class ProcessorPool
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);

    public static async Task<SystemStatus> SystemAsync(this HttpClient api) =>
        (await api.GetFromJsonAsync<SystemStatus>("/api/system", TestContext.Current.CancellationToken))!;

    /// <summary>Adds or removes instances until <paramref name="instances"/> run and share every partition, each owned once.</summary>
    public static async Task<ProcessingStatus> ScaleToAsync(this ReportPocApp system, int instances)
    {
        var current = Running(system);
        for (; current < instances; current++)
        {
            await PoolCommandAsync(system, ProcessorPoolResource.AddInstanceCommand);
        }

        for (; current > instances; current--)
        {
            await PoolCommandAsync(system, ProcessorPoolResource.RemoveInstanceCommand);
        }

        return await system.WaitForProcessorsAsync(status => status.Instances.Count == instances && (instances == 0 || IsBalanced(status)));
    }

    /// <summary>Waits until the processors' status satisfies the condition; returns that status.</summary>
    public static async Task<ProcessingStatus> WaitForProcessorsAsync(this ReportPocApp system, Func<ProcessingStatus, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? SettleTimeout);
        ProcessingStatus? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            seen = (await system.Api.SystemAsync()).Processing;
            if (seen is not null && condition(seen))
            {
                return seen;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The processors did not reach the expected state within {timeout ?? SettleTimeout}; last seen: " +
            (seen is null ? "nothing" : string.Join("; ", seen.Instances.Select(instance => $"{instance.InstanceId} [{string.Join(",", instance.Partitions)}]"))));
        return seen!;
    }

    /// <summary>Settled after a rebalance: every partition owned once, and every instance owning some (while there are enough).</summary>
    public static bool IsBalanced(ProcessingStatus status) =>
        OwnsEveryPartitionOnce(status) && status.Instances.All(instance => instance.Partitions.Count > 0 || status.Instances.Count > ReportPocApp.Partitions);

    public static bool OwnsEveryPartitionOnce(ProcessingStatus status)
    {
        var owned = status.Instances.SelectMany(instance => instance.Partitions).ToList();
        return owned.Count == ReportPocApp.Partitions && owned.Distinct().Count() == ReportPocApp.Partitions;
    }

    /// <summary>How many instances the pool runs (or is starting), as the dashboard shows it.</summary>
    public static int Running(ReportPocApp system)
    {
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.ProcessorPool, out var pool));
        return (int)pool.Snapshot.Properties.Single(property => property.Name == ProcessorPoolResource.RunningProperty).Value!;
    }

    private static async Task PoolCommandAsync(ReportPocApp system, string command)
    {
        var result = await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.ProcessorPool, command, TestContext.Current.CancellationToken);
        Assert.True(result.Success, $"{command}: {result.Message}");
    }
}
