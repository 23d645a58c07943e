using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka.Instrumentation;

/// <summary>
/// The integration's instruments, under Aspire.Confluent.Kafka's names: what the clients publish and receive (measured
/// around each call), and librdkafka's periodic statistics (queues, network, bytes) as gauges and counters, plus the
/// consumer lag per topic.
/// </summary>
internal sealed class KafkaMetrics
{
    // Publish and receive take milliseconds; the SDK's default buckets (0, 5, 10, 25 … seconds) would put them all in one.
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly ConcurrentDictionary<string, ClientStatistics> _clients = new();
    private readonly Counter<long> _published;
    private readonly Histogram<double> _publishDuration;
    private readonly Counter<long> _received;
    private readonly Histogram<double> _receiveDuration;

    public KafkaMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(KafkaTelemetry.Name);
        _published = meter.CreateCounter<long>("messaging.publish.messages", "{message}", "Messages the producer was asked to publish.");
        _publishDuration = meter.CreateHistogram("messaging.publish.duration", "s",
            "Duration of a publish: until the broker's acknowledgement (ProduceAsync) or until queued (Produce).", advice: DurationBuckets);
        _received = meter.CreateCounter<long>("messaging.receive.messages", "{message}", "Messages the consumer received.");
        _receiveDuration = meter.CreateHistogram("messaging.receive.duration", "s",
            "Duration of a Consume call that returned a message, waiting included.", advice: DurationBuckets);

        meter.CreateObservableGauge("messaging.kafka.consumer.queue.message_count", () => Observe(s => s.ReplyQueue, withType: false), "{operation}",
            "Operations (callbacks, events) waiting in the client's queue for the application to serve (librdkafka replyq).");
        meter.CreateObservableGauge("messaging.kafka.producer.queue.message_count", () => Observe(s => s.MessageCount, withType: false), "{message}",
            "Messages in the producer's queues, not yet acknowledged by the broker (librdkafka msg_cnt).");
        meter.CreateObservableGauge("messaging.kafka.producer.queue.size", () => Observe(s => s.MessageSize, withType: false), "By",
            "Size of the messages in the producer's queues (librdkafka msg_size).");
        meter.CreateObservableCounter("messaging.kafka.network.tx", () => Observe(s => s.Requests, withType: true), "{request}",
            "Requests sent to the brokers (librdkafka tx).");
        meter.CreateObservableCounter("messaging.kafka.network.transmitted", () => Observe(s => s.RequestBytes, withType: true), "By",
            "Bytes sent to the brokers (librdkafka tx_bytes).");
        meter.CreateObservableCounter("messaging.kafka.network.rx", () => Observe(s => s.Responses, withType: true), "{response}",
            "Responses received from the brokers (librdkafka rx).");
        meter.CreateObservableCounter("messaging.kafka.network.received", () => Observe(s => s.ResponseBytes, withType: true), "By",
            "Bytes received from the brokers (librdkafka rx_bytes).");
        meter.CreateObservableCounter("messaging.kafka.message.transmitted", () => Observe(s => s.MessageBytesSent, withType: true), "By",
            "Message bytes produced to the brokers, framing included (librdkafka txmsg_bytes).");
        meter.CreateObservableCounter("messaging.kafka.message.received", () => Observe(s => s.MessageBytesReceived, withType: true), "By",
            "Message bytes consumed from the brokers, framing included (librdkafka rxmsg_bytes).");
        meter.CreateObservableGauge("messaging.kafka.consumer.lag", ObserveConsumerLag, "{message}",
            "Messages in the broker not yet consumed by this client, per topic: the sum over the partitions it owns.");
    }

    public void Published(TopicPartition topicPartition, TimeSpan duration, string? errorType)
    {
        var tags = MessageTags(topicPartition.Topic, "publish", errorType);
        _published.Add(1, tags);
        _publishDuration.Record(duration.TotalSeconds, tags);
    }

    public void Received(TopicPartition topicPartition, string? consumerGroup, TimeSpan duration)
    {
        var tags = MessageTags(topicPartition.Topic, "receive", errorType: null);
        tags.Add(KafkaTelemetry.PartitionId, topicPartition.Partition.Value.ToString());
        tags.Add(KafkaTelemetry.ConsumerGroup, consumerGroup);
        _received.Add(1, tags);
        _receiveDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Takes one of librdkafka's statistics documents (see its STATISTICS.md) as the client's latest figures.</summary>
    public void RecordStatistics(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long Read(string property) => root.TryGetProperty(property, out var value) ? value.GetInt64() : 0;

        var name = root.GetProperty("name").GetString() ?? "";
        _clients[name] = new ClientStatistics(
            ClientId: root.TryGetProperty("client_id", out var clientId) ? clientId.GetString() ?? "" : "",
            Type: root.TryGetProperty("type", out var type) ? type.GetString() ?? "" : "",
            ReplyQueue: Read("replyq"),
            MessageCount: Read("msg_cnt"),
            MessageSize: Read("msg_size"),
            Requests: Read("tx"),
            RequestBytes: Read("tx_bytes"),
            Responses: Read("rx"),
            ResponseBytes: Read("rx_bytes"),
            MessageBytesSent: Read("txmsg_bytes"),
            MessageBytesReceived: Read("rxmsg_bytes"),
            LagByTopic: ConsumerLag(root));
    }

    private static Dictionary<string, long> ConsumerLag(JsonElement root)
    {
        var lagByTopic = new Dictionary<string, long>();
        if (root.GetProperty("type").GetString() != "consumer" || !root.TryGetProperty("topics", out var topics))
        {
            return lagByTopic;
        }

        foreach (var topic in topics.EnumerateObject())
        {
            long lag = 0;
            foreach (var partition in topic.Value.GetProperty("partitions").EnumerateObject())
            {
                // Partition -1 is librdkafka's "unassigned" bucket; a lag of -1 means "not known yet".
                var consumerLag = partition.Value.GetProperty("consumer_lag").GetInt64();
                if (partition.Name != "-1" && consumerLag > 0)
                {
                    lag += consumerLag;
                }
            }

            lagByTopic[topic.Name] = lag;
        }

        return lagByTopic;
    }

    private static TagList MessageTags(string topic, string operation, string? errorType)
    {
        var tags = new TagList
        {
            { KafkaTelemetry.System, "kafka" },
            { KafkaTelemetry.OperationName, operation },
            { KafkaTelemetry.DestinationName, topic },
        };
        if (errorType is not null)
        {
            tags.Add(KafkaTelemetry.ErrorType, errorType);
        }

        return tags;
    }

    private IEnumerable<Measurement<long>> Observe(Func<ClientStatistics, long> read, bool withType) =>
        _clients.Select(client => withType
            ? new Measurement<long>(read(client.Value), ClientTags(client.Key, client.Value).Append(new("type", client.Value.Type)))
            : new Measurement<long>(read(client.Value), ClientTags(client.Key, client.Value)));

    private IEnumerable<Measurement<long>> ObserveConsumerLag() =>
        _clients.SelectMany(client => client.Value.LagByTopic.Select(topic => new Measurement<long>(topic.Value,
            ClientTags(client.Key, client.Value).Append(new(KafkaTelemetry.DestinationName, topic.Key)))));

    private static IEnumerable<KeyValuePair<string, object?>> ClientTags(string name, ClientStatistics statistics) =>
        [new(KafkaTelemetry.ClientId, statistics.ClientId), new("name", name)];

    private sealed record ClientStatistics(
        string ClientId, string Type, long ReplyQueue, long MessageCount, long MessageSize,
        long Requests, long RequestBytes, long Responses, long ResponseBytes, long MessageBytesSent, long MessageBytesReceived,
        IReadOnlyDictionary<string, long> LagByTopic);
}
