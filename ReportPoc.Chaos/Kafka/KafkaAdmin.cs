using Confluent.Kafka;

namespace ReportPoc.Chaos.Kafka;

/// <summary>What the broker says about a topic (its metadata).</summary>
internal static class KafkaAdmin
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task<IReadOnlyList<int>> PartitionsOfAsync(string bootstrapServers, string topic, CancellationToken cancellationToken) =>
        Task.Run<IReadOnlyList<int>>(() =>
        {
            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
            var metadata = admin.GetMetadata(topic, Timeout).Topics.Single();
            if (metadata.Error.IsError)
            {
                throw new KafkaException(metadata.Error);
            }

            return [.. metadata.Partitions.Select(partition => partition.PartitionId).Order()];
        }, cancellationToken);
}
