using Confluent.Kafka;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.Api.Submissions;

/// <summary>The whole of the async path's work: one Kafka message, acknowledged by the broker.</summary>
public sealed class ReportPublisher(IProducer<string, byte[]> producer, ILogger<ReportPublisher> logger)
{
    /// <returns>True once the broker has acknowledged the message; false when it could not be had in time.</returns>
    public async Task<bool> PublishAsync(ReportSubmitted submission, CancellationToken cancellationToken)
    {
        var message = new Message<string, byte[]> { Key = submission.Id.ToString(), Value = submission.ToUtf8Json() };
        try
        {
            await producer.ProduceAsync(KafkaTopics.Submitted, message, cancellationToken);
            return true;
        }
        catch (ProduceException<string, byte[]> exception)
        {
            // Timed out, local queue full, broker down: all mean "not accepted", never a 202.
            logger.LogWarning("Report {ReportId} not accepted: Kafka {Code}: {Reason}",
                submission.Id, exception.Error.Code, exception.Error.Reason);
            return false;
        }
    }
}
