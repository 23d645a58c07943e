using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.AppHost.Infrastructure;

public sealed record KafkaTopic(string Name, int Partitions);

/// <summary>
/// Healthy once the broker answers and the application's topics exist; creates missing ones. Services wait for it,
/// so the topics exist before any producer or consumer starts.
/// </summary>
internal sealed class KafkaTopicsHealthCheck(Func<CancellationToken, ValueTask<string?>> bootstrapServers, IReadOnlyList<KafkaTopic> topics) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>The topics this check makes sure of.</summary>
    public IReadOnlyList<KafkaTopic> Topics => topics;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = await bootstrapServers(cancellationToken);
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = servers,
            SocketTimeoutMs = (int)Timeout.TotalMilliseconds,
        }).Build();

        try
        {
            var existing = await Task.Run(() => admin.GetMetadata(Timeout).Topics
                .Where(topic => topic.Error.Code == ErrorCode.NoError)
                .Select(topic => topic.Topic)
                .ToHashSet(), cancellationToken);

            var missing = topics.Where(topic => !existing.Contains(topic.Name)).ToList();
            if (missing.Count == 0)
            {
                return HealthCheckResult.Healthy($"Topics ready: {string.Join(", ", topics.Select(t => $"{t.Name} ({t.Partitions})"))}");
            }

            await admin.CreateTopicsAsync(missing.Select(topic => new TopicSpecification
            {
                Name = topic.Name,
                NumPartitions = topic.Partitions,
                ReplicationFactor = -1, // the broker's default
            }), new CreateTopicsOptions { OperationTimeout = Timeout, RequestTimeout = Timeout });

            return HealthCheckResult.Unhealthy($"Created {string.Join(", ", missing.Select(t => t.Name))}; waiting for them to appear.");
        }
        catch (KafkaException exception)
        {
            return HealthCheckResult.Unhealthy($"Kafka at {servers} is not ready: {exception.Error.Reason}");
        }
    }
}
