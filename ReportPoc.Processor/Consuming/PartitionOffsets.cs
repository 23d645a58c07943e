using Confluent.Kafka;
using ReportPoc.Processor.Workflow;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Tracks, per assigned partition, which consumed messages are still being worked on, and commits each partition
/// only up to its last contiguous finished message: a message finished early never lets an unfinished one before
/// it be skipped after a crash.
/// </summary>
public sealed class PartitionOffsets(ProcessingOptions options, ILogger<PartitionOffsets> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, PartitionProgress> _partitions = [];

    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Values.Sum(partition => partition.Pending.Count);
            }
        }
    }

    public IReadOnlyList<TopicPartition> Assigned
    {
        get
        {
            lock (_gate)
            {
                return [.. _partitions.Keys];
            }
        }
    }

    public void AttachTo(ConsumerBuilder<string, byte[]> consumer) => consumer
        .SetPartitionsAssignedHandler((_, partitions) =>
        {
            lock (_gate)
            {
                partitions.ForEach(partition => _partitions[partition] = new PartitionProgress());
            }

            logger.LogInformation("Assigned {Partitions}", string.Join(", ", partitions.Select(p => p.Partition.Value)));
        })
        .SetPartitionsRevokedHandler((client, partitions) =>
        {
            // Finish what was started on these partitions and commit it, so their next owner does not repeat it.
            var revoked = partitions.Select(p => p.TopicPartition).ToList();
            WaitUntilFinished(revoked, options.DrainTimeout);
            Commit(client, revoked);
            Forget(revoked);
            logger.LogInformation("Revoked {Partitions}", string.Join(", ", revoked.Select(p => p.Partition.Value)));
        })
        .SetPartitionsLostHandler((_, partitions) =>
        {
            // Lost, not revoked: another member may already own them, so committing now could go backwards.
            Forget(partitions.Select(p => p.TopicPartition).ToList());
            logger.LogWarning("Lost {Partitions}", string.Join(", ", partitions.Select(p => p.Partition.Value)));
        });

    public void Started(TopicPartitionOffset message)
    {
        lock (_gate)
        {
            if (_partitions.TryGetValue(message.TopicPartition, out var progress))
            {
                progress.Pending.Add(message.Offset.Value);
                progress.Next = message.Offset.Value + 1;
            }
        }
    }

    public void Finished(TopicPartitionOffset message)
    {
        lock (_gate)
        {
            if (_partitions.TryGetValue(message.TopicPartition, out var progress))
            {
                progress.Pending.Remove(message.Offset.Value);
            }
        }
    }

    /// <summary>Commits every partition (or the given ones) up to its last contiguous finished message.</summary>
    public void Commit(IConsumer<string, byte[]> consumer, IReadOnlyCollection<TopicPartition>? only = null)
    {
        List<TopicPartitionOffset> commits;
        lock (_gate)
        {
            commits = _partitions
                .Where(partition => only is null || only.Contains(partition.Key))
                .Select(partition => new TopicPartitionOffset(partition.Key, partition.Value.Committable))
                .Where(commit => commit.Offset.Value > _partitions[commit.TopicPartition].Committed)
                .ToList();
        }

        if (commits.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(commits);
            lock (_gate)
            {
                foreach (var commit in commits.Where(commit => _partitions.ContainsKey(commit.TopicPartition)))
                {
                    _partitions[commit.TopicPartition].Committed = commit.Offset.Value;
                }
            }
        }
        catch (KafkaException exception)
        {
            // Not fatal: the offsets stay pending and go with the next commit; at worst a message is redelivered.
            logger.LogWarning("Offset commit failed: {Reason}", exception.Error.Reason);
        }
    }

    private void WaitUntilFinished(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_gate)
            {
                if (partitions.All(partition => !_partitions.TryGetValue(partition, out var progress) || progress.Pending.Count == 0))
                {
                    return;
                }
            }

            Thread.Sleep(20);
        }

        logger.LogWarning("In-flight reports on revoked partitions did not finish within {Timeout}; they will be redelivered", timeout);
    }

    private void Forget(IReadOnlyCollection<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Remove(partition);
            }
        }
    }

    private sealed class PartitionProgress
    {
        public SortedSet<long> Pending { get; } = [];

        /// <summary>The offset after the last message handed out.</summary>
        public long Next { get; set; } = -1;

        public long Committed { get; set; } = -1;

        /// <summary>Kafka commits "the next offset to read": the first unfinished message, or the one after the last.</summary>
        public long Committable => Pending.Count > 0 ? Pending.Min : Next;
    }
}
