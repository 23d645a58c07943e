using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Processor.Availability;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// What happens when the group moves partitions (cooperative rebalancing: only the partitions that move are revoked).
/// Revoked partitions are handed over clean: their in-flight work gets <see cref="ProcessingOptions.RevokeGrace"/> to
/// finish, the rest is cancelled and waited for, finished offsets are committed, and only then does the rebalance go on.
/// Work that still runs somewhere after that (a lost partition, an evicted member) cannot repeat LPRUN: the claim in
/// the database decides who calls it.
/// </summary>
public sealed class PartitionRebalancing(AssignedPartitions partitions, LogPositionWatch positions, Dependencies dependencies,
    IOptions<ProcessingOptions> options, IHostApplicationLifetime lifetime, ILogger<PartitionRebalancing> logger)
{
    public void AttachTo(ConsumerBuilder<string, byte[]> consumer) => consumer
        .SetPartitionsAssignedHandler((_, assigned) =>
        {
            partitions.Assign(assigned);
            positions.Assigned(assigned);
            logger.LogInformation("Assigned partitions {Partitions}; now own {Owned}", Describe(assigned), string.Join(",", partitions.Partitions));
        })
        .SetPartitionsRevokedHandler((client, revoked) => HandOver(client, revoked.Select(partition => partition.TopicPartition).ToList()))
        .SetPartitionsLostHandler((_, lost) =>
        {
            // Lost, not revoked: another member may own them already, so no commit (it could go backwards). Stop the work.
            var topicPartitions = lost.Select(partition => partition.TopicPartition).ToList();
            partitions.Forget(topicPartitions);
            logger.LogWarning("Lost partitions {Partitions}; their work is cancelled and will be redone by the new owner", Describe(topicPartitions));
        });

    private void HandOver(IConsumer<string, byte[]> consumer, List<TopicPartition> revoked)
    {
        // While stopping, the consumer has drained and cancelled its work already (DrainTimeout + CancelTimeout): the
        // revoke that leaving the group triggers waits no second time, or shutdown would overrun its bound.
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;

        // Work waiting for an unavailable dependency would not finish within any grace: cancel it at once.
        var grace = dependencies.AllAvailable ? options.Value.RevokeGrace : TimeSpan.Zero;
        if (!stopping && !partitions.WaitUntilIdle(revoked, grace))
        {
            partitions.Cancel(revoked);
            if (!partitions.WaitUntilIdle(revoked, options.Value.CancelTimeout))
            {
                logger.LogError("Work on revoked partitions {Partitions} did not stop within {Timeout}", Describe(revoked), options.Value.CancelTimeout);
            }
        }

        partitions.Commit(consumer, revoked);
        partitions.Forget(revoked);
        logger.LogInformation("Revoked partitions {Partitions}; now own {Owned}", Describe(revoked), string.Join(",", partitions.Partitions));
    }

    private static string Describe(IEnumerable<TopicPartition> topicPartitions) =>
        string.Join(",", topicPartitions.Select(partition => partition.Partition.Value).Order());
}
