using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Processor.Handling;

/// <summary>Parks a message that cannot or will not be processed on the dead-letter topic, with why and from where.</summary>
public sealed class DeadLetters(
    IProducer<string, byte[]> producer,
    ReportsTelemetry telemetry,
    ProcessorTelemetry processorTelemetry,
    OutcomeAlarm alarm,
    IOptions<ProcessingOptions> options,
    IOptions<MessagingOptions> messaging,
    TimeProvider clock,
    ILogger<DeadLetters> logger)
{
    /// <summary>
    /// Errors no retry can mend: the dead letter itself is too large or malformed, the topic refuses this producer, or the
    /// producer is unusable. Everything else (no leader, brokers down, timeouts) is an outage of the broker.
    /// </summary>
    private static readonly HashSet<ErrorCode> Permanent =
    [
        ErrorCode.MsgSizeTooLarge, ErrorCode.RecordListTooLarge, ErrorCode.InvalidMsgSize, ErrorCode.InvalidRecord,
        ErrorCode.InvalidRequiredAcks, ErrorCode.UnsupportedForMessageFormat, ErrorCode.TopicAuthorizationFailed,
        ErrorCode.ClusterAuthorizationFailed, ErrorCode.Local_KeySerialization, ErrorCode.Local_ValueSerialization,
        ErrorCode.Local_InvalidArg, ErrorCode.Local_Fatal,
    ];

    /// <summary>
    /// True once the broker has the dead letter (acks=all): the source offset may be committed, and the report marked
    /// Failed, only after that. A broker outage is waited out with backoff, until the work is cancelled. False when the
    /// broker refused it for good: that is not retried, the refusal is raised by <see cref="OutcomeAlarm"/>, and the
    /// caller goes on without the dead letter.
    /// </summary>
    public async Task<bool> SendAsync(ConsumeResult<string, byte[]> source, string reason, string error, CancellationToken cancellationToken)
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
                    return true;
                }
                catch (ProduceException<string, byte[]> exception) when (exception.Error.IsFatal || Permanent.Contains(exception.Error.Code))
                {
                    alarm.DeadLetterRefused(source.TopicPartitionOffset.ToString(), reason, exception.Error.Code.ToString(), exception.Error.Reason);
                    return false;
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
