using ReportPoc.Contracts.Operations;

namespace ReportPoc.Chaos.Faults;

/// <summary>
/// Counts partitions that move from one processor instance to another while the drill runs, as GET /api/system shows
/// them: the rebalances the kills, the removed and the added instance cause, each with work in flight.
/// </summary>
internal sealed class PartitionHandovers(ProcessorInstances instances)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly Dictionary<int, string> _owners = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Watches until cancelled.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                if (await instances.StatusAsync(cancellationToken) is { } status)
                {
                    Observe(status);
                }

                await Task.Delay(Poll, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drill has ended.
        }
    }

    /// <summary>
    /// A crashed instance's last report lingers for a few seconds beside the new owner's: the freshest claim to a
    /// partition is its owner, so a stale claim is not counted as the partition moving back and forth.
    /// </summary>
    private void Observe(ProcessingStatus status)
    {
        var claims = status.Instances
            .SelectMany(instance => instance.Partitions.Select(partition => (Partition: partition, instance.InstanceId, instance.SeenAt)))
            .GroupBy(claim => claim.Partition, claim => claim)
            .Select(claims => claims.MaxBy(claim => claim.SeenAt));
        foreach (var (partition, owner, _) in claims)
        {
            if (_owners.TryGetValue(partition, out var previous) && previous != owner)
            {
                Interlocked.Increment(ref _count);
            }

            _owners[partition] = owner;
        }
    }
}
