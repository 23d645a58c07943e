using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace ReportPoc.Processor.Handling;

/// <summary>
/// The processor's <c>process {topic}</c> span: a child of the producer's span, whose W3C context came in the message
/// headers, so that one trace runs from the Api's request through the broker into the four steps. (The Kafka
/// integration's <c>receive</c> span only links to that context, in a trace of its own.)
/// </summary>
public static class ProcessActivity
{
    public const string SourceName = "ReportPoc.Processor";

    private static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartProcessActivity(this ConsumeResult<string, byte[]> message, string consumerGroup)
    {
        var activity = Source.StartActivity($"process {message.Topic}", ActivityKind.Consumer, ProducerContext(message.Message.Headers));
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.destination.name", message.Topic);
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.operation.name", "process");
        activity?.SetTag("messaging.consumer.group.name", consumerGroup);
        activity?.SetTag("messaging.destination.partition.id", message.Partition.Value.ToString());
        activity?.SetTag("messaging.kafka.offset", message.Offset.Value);
        activity?.SetTag("messaging.kafka.message.key", message.Message.Key);
        return activity;
    }

    private static ActivityContext ProducerContext(Headers? headers)
    {
        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = carrier is Headers source && source.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }, out var traceParent, out var traceState);
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }
}
