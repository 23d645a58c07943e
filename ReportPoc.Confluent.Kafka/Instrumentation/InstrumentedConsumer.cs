using System.Diagnostics;
using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka.Instrumentation;

/// <summary>
/// The consumer handed out by DI: every Consume that returns a message gets a <c>receive {topic}</c> consumer span and
/// is counted and timed. As in Aspire.Confluent.Kafka the span is not a child of the producer's span (one receive may
/// serve any trace) but links to it; the application's own process span is the one that continues the producer's trace.
/// Everything else passes straight through.
/// </summary>
internal sealed class InstrumentedConsumer<TKey, TValue>(IConsumer<TKey, TValue> consumer, string? groupId, bool tracing, KafkaMetrics? metrics)
    : IConsumer<TKey, TValue>
{
    private bool _closeOutlastedItsBound;

    public Handle Handle => consumer.Handle;

    public string Name => consumer.Name;

    public string MemberId => consumer.MemberId;

    public List<TopicPartition> Assignment => consumer.Assignment;

    public List<string> Subscription => consumer.Subscription;

    public IConsumerGroupMetadata ConsumerGroupMetadata => consumer.ConsumerGroupMetadata;

    public ConsumeResult<TKey, TValue>? Consume(int millisecondsTimeout)
    {
        var started = DateTime.UtcNow;
        return Received(started, consumer.Consume(millisecondsTimeout));
    }

    public ConsumeResult<TKey, TValue>? Consume(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        return Received(started, consumer.Consume(cancellationToken));
    }

    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        return Received(started, consumer.Consume(timeout));
    }

    private ConsumeResult<TKey, TValue>? Received(DateTime started, ConsumeResult<TKey, TValue>? result)
    {
        if (result is not { IsPartitionEOF: false, Message: not null })
        {
            return result;
        }

        if (tracing)
        {
            var producerContext = KafkaTelemetry.Extract(result.Message.Headers);
            ActivityLink[]? links = producerContext == default ? null : [new ActivityLink(producerContext)];
            using var activity = KafkaTelemetry.Source.StartActivity($"receive {result.Topic}", ActivityKind.Consumer,
                parentContext: default, links: links, startTime: started);
            if (activity is not null)
            {
                KafkaTelemetry.SetMessageTags(activity, Name, result.TopicPartition, result.Message.Key, operationType: "receive", operationName: "receive");
                activity.SetTag(KafkaTelemetry.ConsumerGroup, groupId);
                activity.SetTag(KafkaTelemetry.Offset, result.Offset.Value);
            }
        }

        metrics?.Received(result.TopicPartition, groupId, DateTime.UtcNow - started);
        return result;
    }

    public void Subscribe(IEnumerable<string> topics) => consumer.Subscribe(topics);

    public void Subscribe(string topic) => consumer.Subscribe(topic);

    public void Unsubscribe() => consumer.Unsubscribe();

    public void Assign(TopicPartition partition) => consumer.Assign(partition);

    public void Assign(TopicPartitionOffset partition) => consumer.Assign(partition);

    public void Assign(IEnumerable<TopicPartitionOffset> partitions) => consumer.Assign(partitions);

    public void Assign(IEnumerable<TopicPartition> partitions) => consumer.Assign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => consumer.IncrementalAssign(partitions);

    public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => consumer.IncrementalAssign(partitions);

    public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => consumer.IncrementalUnassign(partitions);

    public void Unassign() => consumer.Unassign();

    public void StoreOffset(ConsumeResult<TKey, TValue> result) => consumer.StoreOffset(result);

    public void StoreOffset(TopicPartitionOffset offset) => consumer.StoreOffset(offset);

    public List<TopicPartitionOffset> Commit() => consumer.Commit();

    public void Commit(IEnumerable<TopicPartitionOffset> offsets) => consumer.Commit(offsets);

    public void Commit(ConsumeResult<TKey, TValue> result) => consumer.Commit(result);

    public void Seek(TopicPartitionOffset tpo) => consumer.Seek(tpo);

    public void Pause(IEnumerable<TopicPartition> partitions) => consumer.Pause(partitions);

    public void Resume(IEnumerable<TopicPartition> partitions) => consumer.Resume(partitions);

    public List<TopicPartitionOffset> Committed(TimeSpan timeout) => consumer.Committed(timeout);

    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => consumer.Committed(partitions, timeout);

    public Offset Position(TopicPartition partition) => consumer.Position(partition);

    public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
        consumer.OffsetsForTimes(timestampsToSearch, timeout);

    public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => consumer.GetWatermarkOffsets(topicPartition);

    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => consumer.QueryWatermarkOffsets(topicPartition, timeout);

    public void Close() => consumer.Close();

    /// <summary>
    /// <see cref="Close()"/> with a bound. librdkafka's close waits for a rebalance under way to end, which takes as long
    /// as the group's slowest member takes to hand over. A close that outlasts the bound is left to finish on its own
    /// thread, and <see cref="Dispose"/> leaves the handle to it: the client passes the raw handle to the waiting close,
    /// so destroying it meanwhile would free what that close still uses.
    /// </summary>
    public bool Close(TimeSpan timeout)
    {
        var closing = Task.Factory.StartNew(consumer.Close, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            closing.WaitAsync(timeout).GetAwaiter().GetResult();
            return true;
        }
        catch (TimeoutException)
        {
            Volatile.Write(ref _closeOutlastedItsBound, true);
            return false;
        }
    }

    public int AddBrokers(string brokers) => consumer.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => consumer.SetSaslCredentials(username, password);

    public void Dispose()
    {
        if (!Volatile.Read(ref _closeOutlastedItsBound))
        {
            consumer.Dispose();
        }
    }
}
