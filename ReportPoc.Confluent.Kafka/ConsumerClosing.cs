using Confluent.Kafka;
using ReportPoc.Confluent.Kafka.Instrumentation;

namespace ReportPoc.Confluent.Kafka;

public static class ConsumerClosing
{
    /// <summary>
    /// Leaves the group like <see cref="IConsumer{TKey,TValue}.Close"/>, but returns false instead of waiting past
    /// <paramref name="timeout"/> for a rebalance under way to end; the group drops a member that has not left after its
    /// session timeout. Only for a consumer registered with AddKafkaConsumer: it alone keeps its Dispose off a close still
    /// under way.
    /// </summary>
    public static bool Close<TKey, TValue>(this IConsumer<TKey, TValue> consumer, TimeSpan timeout) =>
        consumer is InstrumentedConsumer<TKey, TValue> registered
            ? registered.Close(timeout)
            : throw new ArgumentException("Only a consumer registered with AddKafkaConsumer can be closed with a bound.", nameof(consumer));
}
