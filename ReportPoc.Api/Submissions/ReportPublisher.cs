using Confluent.Kafka;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.Api.Submissions;

/// <summary>What the broker said about a submission within Publishing:AckTimeout.</summary>
public enum PublishOutcome
{
    /// <summary>The broker acknowledged it (acks=all): the report exists and will be processed.</summary>
    Accepted,

    /// <summary>It was refused before it left this process (the local queue is full): nothing was accepted.</summary>
    NotAccepted,

    /// <summary>No acknowledgement came in time: the broker may have it. Only the status URL can tell.</summary>
    Unknown,

    /// <summary>Refused before it was sent: the dev broker's log could not hold it without dropping unread reports (BrokerLogCapacity).</summary>
    LogFull,
}

/// <summary>
/// The whole of the async path's work: one Kafka message, acknowledged by the broker; where the broker put it goes to
/// the accepted-messages ledger (off the request's path).
/// </summary>
public sealed class ReportPublisher(IProducer<string, byte[]> producer, BrokerLogCapacity capacity, AcceptedLedger ledger, ILogger<ReportPublisher> logger)
{
    public async Task<PublishOutcome> PublishAsync(ReportSubmitted submission, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]> { Key = submission.Id.ToString(), Value = submission.ToUtf8Json() };
        var bytes = message.Key.Length + message.Value.Length;
        if (!capacity.TryReserve(bytes))
        {
            logger.LogWarning("Report {ReportId} not accepted: the dev broker's log is full ({Occupancy})", submission.Id, capacity.Occupancy);
            return PublishOutcome.LogFull;
        }

        TopicPartitionOffset? stored = null;
        try
        {
            stored = (await producer.ProduceAsync(KafkaTopics.Submitted, message, cancellationToken)).TopicPartitionOffset;
            ledger.Record(submission.Id, stored, submission.AcceptedAt);
            return PublishOutcome.Accepted;
        }
        catch (ProduceException<string, byte[]> exception)
        {
            // Only a refusal before the message is queued proves it went nowhere. A delivery timeout does not: librdkafka
            // reports timed-out messages as "not persisted" even when they reached the broker (seen against the dev
            // broker answering late: every such message was in the topic), so every timeout is an unknown outcome.
            var outcome = exception.Error.Code is ErrorCode.Local_QueueFull or ErrorCode.MsgSizeTooLarge
                ? PublishOutcome.NotAccepted
                : PublishOutcome.Unknown;
            logger.LogWarning("Report {ReportId} {Outcome}: Kafka {Code}: {Reason}", submission.Id,
                outcome == PublishOutcome.NotAccepted ? "not accepted" : "may or may not have been accepted", exception.Error.Code, exception.Error.Reason);
            return outcome;
        }
        finally
        {
            capacity.Release(bytes, stored);
        }
    }
}
