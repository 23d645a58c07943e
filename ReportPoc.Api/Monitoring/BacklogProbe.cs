using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// How many accepted reports wait in Kafka for the processors: the topic's end offsets minus the consumer group's
/// committed offsets, summed over partitions; and how many partitions share them. Read through the offsets reader (a
/// consumer of the processors' group that never subscribes, so it never joins the group), never through the producer
/// that the async path depends on.
/// </summary>
/// <remarks>
/// Committed offsets come from the reader's Committed (the consumer group's own OffsetFetch), not from the admin API's
/// ListConsumerGroupOffsets. In librdkafka 2.16 an admin request routed to a group coordinator that times out before the
/// coordinator is reachable releases its reference twice once the coordinator is reached, and the process aborts
/// (rd_kafka_enq_once_del_source_return: Assertion `eonce->refcnt > 0'). Any broker outage arranges that: a request made
/// during it, or one made after it, because the client's re-bootstrap on "all brokers down" leaves its coordinator cache
/// on a decommissioned broker, so the request waits with the broker up. Metadata and ListOffsets go to partition leaders,
/// not to a coordinator, and are safe.
/// </remarks>
public sealed class BacklogProbe(IConsumer<Ignore, Ignore> offsetsReader, IOptions<MessagingOptions> messaging) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly IAdminClient _admin = new DependentAdminClientBuilder(offsetsReader.Handle).Build();
    private readonly string _consumerGroup = messaging.Value.ConsumerGroup;

    public async Task<Backlog> MeasureAsync()
    {
        // Nothing else polls the reader: serve its queued events (client errors such as "all brokers down") here,
        // so that they are logged and do not pile up for as long as the Api runs.
        offsetsReader.Consume(TimeSpan.Zero);

        var partitions = _admin.GetMetadata(KafkaTopics.Submitted, Timeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(KafkaTopics.Submitted, partition.PartitionId))
            .ToList();

        var ends = await _admin.ListOffsetsAsync(
            partitions.Select(partition => new TopicPartitionOffsetSpec { TopicPartition = partition, OffsetSpec = OffsetSpec.Latest() }),
            new ListOffsetsOptions { RequestTimeout = Timeout });
        var committedByPartition = offsetsReader.Committed(partitions, Timeout).ToDictionary(p => p.TopicPartition, p => p.Offset.Value);

        var messages = ends.ResultInfos.Sum(end =>
        {
            var consumedUpTo = committedByPartition.GetValueOrDefault(end.TopicPartitionOffsetError.TopicPartition, 0);
            return Math.Max(0, end.TopicPartitionOffsetError.Offset.Value - Math.Max(0, consumedUpTo));
        });

        return new Backlog(KafkaTopics.Submitted, _consumerGroup, messages, partitions.Count);
    }

    public void Dispose() => _admin.Dispose();
}
