using System.Diagnostics;
using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka.Instrumentation;

/// <summary>
/// The producer handed out by DI: every Produce/ProduceAsync gets a <c>publish {topic}</c> producer span whose W3C
/// context goes into the message headers, and is counted and timed. Everything else passes straight through.
/// </summary>
internal sealed class InstrumentedProducer<TKey, TValue>(IProducer<TKey, TValue> producer, bool tracing, KafkaMetrics? metrics)
    : IProducer<TKey, TValue>
{
    public Handle Handle => producer.Handle;

    public string Name => producer.Name;

    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    public async Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var publish = StartPublish(topicPartition, message);
        try
        {
            var result = await producer.ProduceAsync(topicPartition, message, cancellationToken).ConfigureAwait(false);
            publish.Delivered(result.TopicPartitionOffset);
            return result;
        }
        catch (Exception exception)
        {
            publish.Failed(exception);
            throw;
        }
    }

    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, Partition.Any), message, deliveryHandler);

    /// <remarks>As in Aspire.Confluent.Kafka, the span and the duration cover handing the message to the client's queue.</remarks>
    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        using var publish = StartPublish(topicPartition, message);
        try
        {
            producer.Produce(topicPartition, message, deliveryHandler);
        }
        catch (Exception exception)
        {
            publish.Failed(exception);
            throw;
        }
    }

    private Publish StartPublish(TopicPartition topicPartition, Message<TKey, TValue> message)
    {
        var activity = tracing ? KafkaTelemetry.Source.StartActivity($"publish {topicPartition.Topic}", ActivityKind.Producer) : null;
        if (activity is not null)
        {
            KafkaTelemetry.SetMessageTags(activity, Name, topicPartition, message.Key, operationType: "send", operationName: "publish");
            KafkaTelemetry.Inject(activity, message.Headers ??= []);
        }

        return new Publish(topicPartition, activity, metrics);
    }

    public int Poll(TimeSpan timeout) => producer.Poll(timeout);

    public int Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => producer.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => producer.InitTransactions(timeout);

    public void BeginTransaction() => producer.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => producer.CommitTransaction(timeout);

    public void CommitTransaction() => producer.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => producer.AbortTransaction(timeout);

    public void AbortTransaction() => producer.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        producer.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => producer.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => producer.SetSaslCredentials(username, password);

    public void Dispose() => producer.Dispose();

    /// <summary>One publish in flight: ends its span and records its count and duration when disposed.</summary>
    private sealed class Publish(TopicPartition topicPartition, Activity? activity, KafkaMetrics? metrics) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private string? _errorType;

        public void Delivered(TopicPartitionOffset position)
        {
            activity?.SetTag(KafkaTelemetry.PartitionId, position.Partition.Value.ToString());
            activity?.SetTag(KafkaTelemetry.Offset, position.Offset.Value);
        }

        public void Failed(Exception exception)
        {
            _errorType = KafkaTelemetry.ErrorTypeOf(exception);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag(KafkaTelemetry.ErrorType, _errorType);
        }

        public void Dispose()
        {
            activity?.Dispose();
            metrics?.Published(topicPartition, Stopwatch.GetElapsedTime(_started), _errorType);
        }
    }
}
