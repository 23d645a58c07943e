using Confluent.Kafka;
using ReportPoc.Chaos.Kafka;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.Chaos.Audit;

/// <summary>The dead-letter topic as the audit reads it: from the beginning, by a consumer group of its own that commits nothing.</summary>
internal static class DeadLetterTopic
{
    /// <summary>Reading to the end must not wait forever on a broker that does not answer.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A report the sync path failed under an async report's key is final before a processor reads that report's message,
    /// and the processor publishes its dead letter then: how long past the topic's end the audit waits for one still missing.
    /// </summary>
    private static readonly TimeSpan LateDeadLetterWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Which of <paramref name="reports"/> have a dead letter (dead letters are keyed by report id): the topic read to its
    /// end, and on until each of <paramref name="expected"/> is found or <see cref="LateDeadLetterWait"/> has passed.
    /// </summary>
    public static async Task<HashSet<Guid>> FindAsync(string bootstrapServers, IReadOnlySet<Guid> reports, IReadOnlySet<Guid> expected,
        CancellationToken cancellationToken)
    {
        var partitions = await KafkaAdmin.PartitionsOfAsync(bootstrapServers, KafkaTopics.DeadLetter, cancellationToken);
        return await Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = $"chaos-audit-{Guid.NewGuid():N}",
                EnableAutoCommit = false,
                EnablePartitionEof = true,
                // The dev broker answers a waiting fetch only when the wait runs out; a short wait reads the topic quickly.
                FetchWaitMaxMs = 10,
            }).Build();
            consumer.Assign(partitions.Select(partition => new TopicPartitionOffset(KafkaTopics.DeadLetter, partition, Offset.Beginning)));

            var found = new HashSet<Guid>();
            var atEnd = new HashSet<int>();
            var deadline = DateTime.UtcNow + ReadTimeout;
            DateTime? lateDeadline = null;
            while (atEnd.Count < partitions.Count || !expected.IsSubsetOf(found) && DateTime.UtcNow < lateDeadline)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (atEnd.Count < partitions.Count && DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The dead-letter topic was not read to its end within {ReadTimeout}.");
                }

                var result = consumer.Consume(TimeSpan.FromSeconds(1));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    atEnd.Add(result.Partition.Value);
                    lateDeadline ??= atEnd.Count == partitions.Count ? DateTime.UtcNow + LateDeadLetterWait : null;
                }
                else if (Guid.TryParse(result.Message.Key, out var id) && reports.Contains(id))
                {
                    found.Add(id);
                }
            }

            consumer.Close();
            return found;
        }, cancellationToken);
    }
}
