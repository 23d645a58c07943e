using System.Text;
using Confluent.Kafka;
using ReportPoc.Reports.Submissions;
using ReportPoc.Reports.Workflow;
using ReportPoc.ServiceDefaults.Kafka;

namespace ReportPoc.Processor.Workflow;

/// <summary>Parks a message that cannot or will not be processed on the dead-letter topic, with why and from where.</summary>
public sealed class DeadLetters(IProducer<string, byte[]> producer, ReportsTelemetry telemetry, ProcessingOptions options, ILogger<DeadLetters> logger)
{
    public const string ReasonHeader = "dlq-reason";
    public const string ErrorHeader = "dlq-error";

    public async Task SendAsync(ConsumeResult<string, byte[]> source, string reason, string error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in source.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(reason));
        headers.Add(ErrorHeader, Encoding.UTF8.GetBytes(error));
        headers.Add("dlq-source", Encoding.UTF8.GetBytes(source.TopicPartitionOffset.ToString()));
        headers.Add("dlq-consumer-group", Encoding.UTF8.GetBytes(options.ConsumerGroup));

        var message = new Message<string, byte[]> { Key = source.Message.Key, Value = source.Message.Value, Headers = headers };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await producer.PublishAsync(ReportSubmitted.DeadLetterTopic, message, cancellationToken);
                telemetry.DeadLettered(reason);
                logger.LogWarning("Dead-lettered {Source} ({Reason}): {Error}", source.TopicPartitionOffset, reason, error);
                return;
            }
            catch (ProduceException<string, byte[]> exception)
            {
                // The source offset stays uncommitted until the dead letter is durable; keep trying.
                logger.LogWarning("Dead-letter publish failed (attempt {Attempt}): {Reason}", attempt, exception.Error.Reason);
                await Task.Delay(options.RetryMaxDelay, cancellationToken);
            }
        }
    }
}
