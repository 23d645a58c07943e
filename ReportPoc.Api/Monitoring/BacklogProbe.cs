using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// How many accepted reports wait in Kafka for the processors: the topic's end offsets minus the consumer group's
/// committed offsets, summed over partitions; and how many partitions share them. Read through the producer's
/// connection, so it costs no extra client.
/// </summary>
public sealed class BacklogProbe(IProducer<string, byte[]> producer, IOptions<MessagingOptions> messaging) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly IAdminClient _admin = new DependentAdminClientBuilder(producer.Handle).Build();
    private readonly string _consumerGroup = messaging.Value.ConsumerGroup;

    public async Task<Backlog> MeasureAsync()
    {
        var partitions = _admin.GetMetadata(KafkaTopics.Submitted, Timeout).Topics.Single().Partitions
            .Select(partition => new TopicPartition(KafkaTopics.Submitted, partition.PartitionId))
            .ToList();

        var ends = await _admin.ListOffsetsAsync(
            partitions.Select(partition => new TopicPartitionOffsetSpec { TopicPartition = partition, OffsetSpec = OffsetSpec.Latest() }),
            new ListOffsetsOptions { RequestTimeout = Timeout });
        var committed = await _admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(_consumerGroup, partitions)],
            new ListConsumerGroupOffsetsOptions { RequestTimeout = Timeout });

        var committedByPartition = committed.Single().Partitions.ToDictionary(p => p.TopicPartition, p => p.Offset.Value);
        var messages = ends.ResultInfos.Sum(end =>
        {
            var consumedUpTo = committedByPartition.GetValueOrDefault(end.TopicPartitionOffsetError.TopicPartition, 0);
            return Math.Max(0, end.TopicPartitionOffsetError.Offset.Value - Math.Max(0, consumedUpTo));
        });

        return new Backlog(KafkaTopics.Submitted, _consumerGroup, messages, partitions.Count);
    }

    public void Dispose() => _admin.Dispose();
}
