using Confluent.Kafka;
using ReportPoc.Processor.Workflow;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Polls <c>reports.submitted</c> on a dedicated thread, hands messages to key-ordered lanes, and commits finished
/// offsets periodically. On shutdown it stops polling, lets in-flight reports finish (bounded by DrainTimeout),
/// commits what is done and leaves the group cleanly.
/// </summary>
internal sealed class ReportConsumer(
    IConsumer<string, byte[]> consumer,
    PartitionOffsets offsets,
    SubmissionHandler handler,
    ProcessingOptions options,
    ILogger<ReportConsumer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), TaskCreationOptions.LongRunning);

    private void Run(CancellationToken stoppingToken)
    {
        // Cancelled only if draining outlasts DrainTimeout, so a normal stop finishes what it started.
        using var abandonWork = new CancellationTokenSource();
        var lanes = new KeyOrderedLanes(options.MaxInFlight,
            message => handler.HandleAsync(message, abandonWork.Token),
            message => offsets.Finished(message.TopicPartitionOffset),
            (message, exception) => logger.LogError(exception, "Handling {Message} failed unexpectedly; it stays uncommitted", message.TopicPartitionOffset));

        consumer.Subscribe(ReportSubmitted.Topic);
        logger.LogInformation("Consuming {Topic} as group {Group}, up to {MaxInFlight} reports at once",
            ReportSubmitted.Topic, options.ConsumerGroup, options.MaxInFlight);

        var nextCommit = DateTime.UtcNow + options.CommitInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Consume() is { } message)
                {
                    // Back-pressure: no further polling while MaxInFlight reports are being worked on.
                    lanes.WaitForSlot(stoppingToken);
                    offsets.Started(message.TopicPartitionOffset);
                    lanes.Dispatch(message);
                }

                if (DateTime.UtcNow >= nextCommit)
                {
                    offsets.Commit(consumer);
                    nextCommit = DateTime.UtcNow + options.CommitInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        if (!lanes.Drain(options.DrainTimeout))
        {
            logger.LogWarning("In-flight reports did not finish within {Timeout}; handing them back uncommitted", options.DrainTimeout);
            abandonWork.Cancel();
        }

        offsets.Commit(consumer);
        consumer.Close();
        logger.LogInformation("Consumer closed after committing finished work");
    }

    private ConsumeResult<string, byte[]>? Consume()
    {
        try
        {
            return consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
        catch (ConsumeException exception)
        {
            logger.LogWarning("Consume failed: {Reason}", exception.Error.Reason);
            return null;
        }
    }
}
