using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka.Instrumentation;

/// <summary>
/// The integration's ActivitySource and Meter name, the OpenTelemetry messaging attributes it sets, and the W3C trace
/// context it carries in message headers.
/// </summary>
internal static class KafkaTelemetry
{
    public const string Name = "ReportPoc.Confluent.Kafka";

    public static readonly ActivitySource Source = new(Name);

    public const string System = "messaging.system";
    public const string DestinationName = "messaging.destination.name";
    public const string PartitionId = "messaging.destination.partition.id";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string ClientId = "messaging.client.id";
    public const string ConsumerGroup = "messaging.consumer.group.name";
    public const string MessageKey = "messaging.kafka.message.key";
    public const string Offset = "messaging.kafka.offset";
    public const string ErrorType = "error.type";

    public static void SetMessageTags(Activity activity, string clientName, TopicPartition topicPartition, object? key, string operationType, string operationName)
    {
        activity.SetTag(System, "kafka");
        activity.SetTag(DestinationName, topicPartition.Topic);
        activity.SetTag(OperationType, operationType);
        activity.SetTag(OperationName, operationName);
        activity.SetTag(ClientId, clientName);
        if (topicPartition.Partition != Partition.Any)
        {
            activity.SetTag(PartitionId, topicPartition.Partition.Value.ToString());
        }

        if (key is string text)
        {
            activity.SetTag(MessageKey, text);
        }
    }

    /// <summary>Writes the span's context into the headers, replacing any copied from another message.</summary>
    public static void Inject(Activity activity, Headers headers) =>
        DistributedContextPropagator.Current.Inject(activity, headers, static (carrier, name, value) =>
        {
            var target = (Headers)carrier!;
            target.Remove(name);
            target.Add(name, Encoding.UTF8.GetBytes(value));
        });

    /// <summary>The producer's span context from the headers, or default when there is none.</summary>
    public static ActivityContext Extract(Headers? headers)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = carrier is Headers source && source.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    public static string ErrorTypeOf(Exception exception) => exception switch
    {
        KafkaException kafka => kafka.Error.Code.ToString(),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };
}
