using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Confluent.Kafka;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Handling;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Polls reports.submitted on a dedicated thread: messages go to key-ordered lanes. When Processing:MaxInFlight reports
/// are in flight the thread first waits up to Processing:FullWait for one to end (what librdkafka has prefetched is
/// then ready at once); full for longer, or with a dependency unavailable, the assigned partitions are paused while
/// polling goes on (so the group membership holds and rebalances are served) until there is room and every dependency
/// answers again.
/// Finished offsets are committed periodically. On shutdown it stops taking messages, lets in-flight reports finish
/// (bounded by DrainTimeout), cancels the rest, commits what is done and leaves the group.
/// </summary>
internal sealed class ReportConsumer(
    IConsumer<string, byte[]> consumer,
    AssignedPartitions partitions,
    LogPositionWatch positions,
    SubmissionHandler handler,
    Dependencies dependencies,
    IOptions<ProcessingOptions> options,
    IOptions<MessagingOptions> messaging,
    ILogger<ReportConsumer> logger) : BackgroundService
{
    private readonly ProcessingOptions _options = options.Value;
    private readonly KeyOrderedLanes _lanes = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), TaskCreationOptions.LongRunning);

    private void Run(CancellationToken stoppingToken)
    {
        consumer.Subscribe(KafkaTopics.Submitted);
        logger.LogInformation("Consuming {Topic} as group {Group}, up to {MaxInFlight} reports at once",
            KafkaTopics.Submitted, messaging.Value.ConsumerGroup, _options.MaxInFlight);

        var nextCommit = DateTime.UtcNow + _options.CommitInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var room = partitions.WaitForRoom(_options.MaxInFlight, _options.FullWait, stoppingToken);
            PauseOrResume(room);
            if (Consume() is { } message)
            {
                Dispatch(message);
            }

            if (DateTime.UtcNow >= nextCommit)
            {
                partitions.Commit(consumer);
                nextCommit = DateTime.UtcNow + _options.CommitInterval;
            }
        }

        Shutdown();
    }

    /// <summary>Paused while the instance stays full or a dependency is unavailable; resumed as soon as neither holds.</summary>
    private void PauseOrResume(bool room)
    {
        var pause = !dependencies.AllAvailable || !room;
        var changed = partitions.SetPaused(pause);
        if (changed.Count == 0)
        {
            return;
        }

        try
        {
            if (pause)
            {
                consumer.Pause(changed);
            }
            else
            {
                consumer.Resume(changed);
            }
        }
        catch (KafkaException exception)
        {
            // A partition revoked between the two calls; the next rebalance callback has already dropped it.
            logger.LogDebug("Pause/resume of {Count} partition(s) failed: {Reason}", changed.Count, exception.Error.Reason);
        }
    }

    private ConsumeResult<string, byte[]>? Consume()
    {
        try
        {
            return consumer.Consume(_options.PollTimeout);
        }
        catch (ConsumeException exception)
        {
            logger.LogWarning("Consume failed: {Reason}", exception.Error.Reason);
            return null;
        }
    }

    private void Dispatch(ConsumeResult<string, byte[]> message)
    {
        var position = message.TopicPartitionOffset;
        positions.Consumed(position);
        if (partitions.Started(position) is not { } partitionWork)
        {
            return; // its partition was revoked while the message was on its way: the next owner gets it
        }

        _lanes.Dispatch(message.Message.Key, async () =>
        {
            try
            {
                await handler.HandleAsync(message, partitionWork);
                partitions.Finished(position, partitionWork);
            }
            catch (OperationCanceledException)
            {
                partitions.HandedBack(position, partitionWork);
            }
            catch (Exception exception)
            {
                // The handler retries and dead-letters what it can; this is a bug in it. Hand the message back (its
                // partition stops committing at it until a restart or rebalance redelivers it) and say so loudly.
                logger.LogCritical(exception, "Handling {Message} failed outside the retry rules; it stays uncommitted", position);
                partitions.HandedBack(position, partitionWork);
            }
        });
    }

    private void Shutdown()
    {
        var leaveBy = DateTime.UtcNow + _options.StopTimeout;
        // Reports waiting for an unavailable dependency would not finish within the drain time: hand them back at once.
        var drained = dependencies.AllAvailable && partitions.WaitUntilIdle(null, _options.DrainTimeout);
        if (!drained)
        {
            logger.LogWarning("Handing back {Count} unfinished report(s) on shutdown; they will be redelivered", partitions.Running);
            partitions.Cancel();
            partitions.WaitUntilIdle(null, _options.CancelTimeout);
        }

        partitions.Commit(consumer);
        // Leaving waits for a rebalance under way to end, as long as the slowest member takes to hand over: bounded by
        // what drain and cancel left of the shutdown bound, so the process exits within it (docs/design.md §5.6).
        var remaining = leaveBy - DateTime.UtcNow;
        if (consumer.Close(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
        {
            logger.LogInformation("Left the consumer group after committing finished work");
        }
        else
        {
            logger.LogWarning("Could not leave the consumer group within the shutdown bound (a rebalance was under way); the group drops " +
                              "this instance after its session timeout, and its partitions move then");
        }
    }
}
