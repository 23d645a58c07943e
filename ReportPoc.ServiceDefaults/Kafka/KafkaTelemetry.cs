using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace ReportPoc.ServiceDefaults.Kafka;

/// <summary>
/// Produce/consume tracing with W3C trace context carried in Kafka headers, following the OpenTelemetry
/// messaging semantic conventions (the part OpenTelemetry.Instrumentation.ConfluentKafka would give us).
/// </summary>
public static class KafkaTelemetry
{
    public const string ActivitySourceName = Microsoft.Extensions.Hosting.Extensions.TelemetryPrefix + "Kafka";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Publishes with a <c>publish {topic}</c> producer span whose context travels in the message headers.</summary>
    public static async Task<DeliveryResult<TKey, TValue>> PublishAsync<TKey, TValue>(
        this IProducer<TKey, TValue> producer, string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default)
    {
        using var activity = Source.StartActivity($"publish {topic}", ActivityKind.Producer);
        if (activity is not null)
        {
            SetCommonTags(activity, topic, "send", "publish");
            if (message.Key is string key)
            {
                activity.SetTag("messaging.kafka.message.key", key);
            }

            message.Headers ??= [];
            DistributedContextPropagator.Current.Inject(activity, message.Headers, static (carrier, name, value) =>
            {
                var headers = (Headers)carrier!;
                headers.Remove(name);
                headers.Add(name, Encoding.UTF8.GetBytes(value));
            });
        }

        try
        {
            var result = await producer.ProduceAsync(topic, message, cancellationToken);
            activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
            activity?.SetTag("messaging.kafka.offset", result.Offset.Value);
            return result;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag("error.type", exception is KafkaException kafka ? kafka.Error.Code.ToString() : exception.GetType().FullName);
            throw;
        }
    }

    /// <summary>
    /// Starts the <c>process {topic}</c> consumer span as a child of the producer's span, so one trace runs
    /// from the HTTP request through the broker into the consumer's work.
    /// </summary>
    public static Activity? StartProcessActivity<TKey, TValue>(this ConsumeResult<TKey, TValue> result, string consumerGroup)
    {
        var parent = ExtractContext(result.Message.Headers);
        var activity = Source.StartActivity($"process {result.Topic}", ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            SetCommonTags(activity, result.Topic, "process", "process");
            activity.SetTag("messaging.consumer.group.name", consumerGroup);
            activity.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString());
            activity.SetTag("messaging.kafka.offset", result.Offset.Value);
            if (result.Message.Key is string key)
            {
                activity.SetTag("messaging.kafka.message.key", key);
            }
        }

        return activity;
    }

    private static ActivityContext ExtractContext(Headers? headers)
    {
        if (headers is null)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (carrier, name, out value, out values) =>
        {
            values = null;
            value = ((Headers)carrier!).TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
        }, out var traceParent, out var traceState);

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }

    private static void SetCommonTags(Activity activity, string topic, string operationType, string operationName)
    {
        activity.SetTag("messaging.system", "kafka");
        activity.SetTag("messaging.destination.name", topic);
        activity.SetTag("messaging.operation.type", operationType);
        activity.SetTag("messaging.operation.name", operationName);
    }
}
