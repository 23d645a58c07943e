using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace ReportPoc.ServiceDefaults.Kafka;

/// <summary>
/// Turns librdkafka's periodic statistics JSON into OpenTelemetry gauges: the client's local queue, and the
/// consumer lag per topic (sum over the partitions this client owns).
/// </summary>
public sealed class KafkaStatisticsMetrics : IDisposable
{
    public const string MeterName = Microsoft.Extensions.Hosting.Extensions.TelemetryPrefix + "Kafka";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, ClientStatistics> _clients = new();

    public KafkaStatisticsMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _meter.CreateObservableGauge("messaging.kafka.client.queue.messages", ObserveQueuedMessages, "{message}",
            "Messages waiting in the client's local queue (produce: not yet acknowledged by the broker).");
        _meter.CreateObservableGauge("messaging.kafka.consumer.lag", ObserveConsumerLag, "{message}",
            "Messages in the broker not yet consumed by this client's consumer group, per topic.");
    }

    public void Record(string statisticsJson)
    {
        using var document = JsonDocument.Parse(statisticsJson);
        var root = document.RootElement;
        var client = root.GetProperty("name").GetString() ?? "kafka";
        var lagByTopic = new Dictionary<string, long>();

        if (root.GetProperty("type").GetString() == "consumer" && root.TryGetProperty("topics", out var topics))
        {
            foreach (var topic in topics.EnumerateObject())
            {
                long lag = 0;
                foreach (var partition in topic.Value.GetProperty("partitions").EnumerateObject())
                {
                    // Partition -1 is librdkafka's internal "unassigned" bucket; a lag of -1 means "not known yet".
                    var consumerLag = partition.Value.GetProperty("consumer_lag").GetInt64();
                    if (partition.Name != "-1" && consumerLag > 0)
                    {
                        lag += consumerLag;
                    }
                }

                lagByTopic[topic.Name] = lag;
            }
        }

        _clients[client] = new ClientStatistics(root.GetProperty("msg_cnt").GetInt64(), lagByTopic);
    }

    /// <summary>Latest consumer lag seen for a topic across this process's clients.</summary>
    public long ConsumerLag(string topic) =>
        _clients.Values.Sum(client => client.LagByTopic.GetValueOrDefault(topic));

    private IEnumerable<Measurement<long>> ObserveQueuedMessages() =>
        _clients.Select(client => new Measurement<long>(client.Value.QueuedMessages,
            new KeyValuePair<string, object?>("messaging.client.id", client.Key)));

    private IEnumerable<Measurement<long>> ObserveConsumerLag() =>
        _clients.SelectMany(client => client.Value.LagByTopic.Select(topic => new Measurement<long>(topic.Value,
            new KeyValuePair<string, object?>("messaging.client.id", client.Key),
            new KeyValuePair<string, object?>("messaging.destination.name", topic.Key))));

    public void Dispose() => _meter.Dispose();

    private sealed record ClientStatistics(long QueuedMessages, IReadOnlyDictionary<string, long> LagByTopic);
}
