using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Processor.Workflow;

/// <summary>Parks a message that cannot or will not be processed on the dead-letter topic, with why and from where.</summary>
public sealed class DeadLetters(
    IProducer<string, byte[]> producer,
    ReportsTelemetry telemetry,
    ProcessorTelemetry processorTelemetry,
    IOptions<ProcessingOptions> options,
    IOptions<MessagingOptions> messaging,
    TimeProvider clock,
    ILogger<DeadLetters> logger)
{
    /// <summary>
    /// Returns once the broker has the dead letter (acks=all): the source offset may be committed, and the report
    /// marked Failed, only after that. A broker outage is waited out with backoff, until the work is cancelled.
    /// </summary>
    public async Task SendAsync(ConsumeResult<string, byte[]> source, string reason, string error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in source.Message.Headers ?? [])
        {
            headers.Add(header.Key, header.GetValueBytes());
        }

        headers.Add(DeadLetterHeaders.Reason, Encoding.UTF8.GetBytes(reason));
        headers.Add(DeadLetterHeaders.Error, Encoding.UTF8.GetBytes(error));
        headers.Add(DeadLetterHeaders.Source, Encoding.UTF8.GetBytes(source.TopicPartitionOffset.ToString()));
        headers.Add(DeadLetterHeaders.ConsumerGroup, Encoding.UTF8.GetBytes(messaging.Value.ConsumerGroup));

        var message = new Message<string, byte[]> { Key = source.Message.Key, Value = source.Message.Value, Headers = headers };
        var delay = options.Value.RetryBaseDelay;
        IDisposable? waiting = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await producer.ProduceAsync(KafkaTopics.DeadLetter, message, cancellationToken);
                    telemetry.DeadLettered(reason);
                    logger.LogWarning("Dead-lettered {Source} ({Reason}): {Error}", source.TopicPartitionOffset, reason, error);
                    return;
                }
                catch (ProduceException<string, byte[]> exception)
                {
                    waiting ??= processorTelemetry.Waiting("kafka");
                    logger.LogWarning("Dead-letter publish failed (attempt {Attempt}): {Reason}; retrying in {Delay}", attempt, exception.Error.Reason, delay);
                    await Task.Delay(delay, clock, cancellationToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.RetryMaxDelay.Ticks));
                }
            }
        }
        finally
        {
            waiting?.Dispose();
        }
    }
}
