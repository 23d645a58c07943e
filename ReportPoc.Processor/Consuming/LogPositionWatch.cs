using System.Collections.Concurrent;
using Confluent.Kafka;
using ReportPoc.Processor.Monitoring;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Finds messages that left the log before this instance read them (retention shorter than an outage, or the dev broker's
/// size limit) and reports them through <see cref="LostMessages"/>, so that a loss is never silent. Two places see it:
/// <list type="bullet">
/// <item>The fetch: auto.offset.reset is "error", so a position out of the log's range is an error in the consume loop
/// (<see cref="Handle"/>) instead of a silent jump to the log's start. The gap from the position to the log's start is
/// reported, the partition is moved to the log's start and may be committed past the gap.</item>
/// <item>A paused partition fetches nothing (its outage is when a backlog grows), so every <see cref="CheckInterval"/> the
/// position each paused partition resumes at (librdkafka purges its fetched messages on pause) is compared with the log's
/// start, and a gap is reported while the pause lasts, not only once it ends.</item>
/// </list>
/// Each offset is reported once by an instance (and recorded once: see <see cref="LostMessages"/>). Watermark queries go to
/// the partition leader, not to the group coordinator.
/// </summary>
public sealed class LogPositionWatch(IConsumer<string, byte[]> consumer, AssignedPartitions partitions, LostMessages lost,
    ILogger<LogPositionWatch> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Per partition, the offset up to which a gap has been reported already.</summary>
    private readonly ConcurrentDictionary<TopicPartition, long> _reportedUpTo = new();

    /// <summary>Partitions whose fetch stopped at an offset reset and that could not be moved yet (the broker did not answer).</summary>
    private readonly ConcurrentDictionary<TopicPartition, long> _stopped = new();

    /// <returns>True when the error was the fetch stopping at an offset outside the log, which this handled.</returns>
    public bool Handle(ConsumeException exception)
    {
        if (exception.Error.Code != ErrorCode.Local_AutoOffsetReset || exception.ConsumerRecord?.TopicPartition is not { } partition)
        {
            return false;
        }

        Restart(partition, exception.ConsumerRecord.Offset.Value);
        return true;
    }

    /// <summary>Called from the consume loop: restarts fetches that a failed watermark query left stopped.</summary>
    public void RetryStopped()
    {
        foreach (var (partition, offset) in _stopped)
        {
            if (_stopped.TryRemove(partition, out _))
            {
                Restart(partition, offset);
            }
        }
    }

    private void Restart(TopicPartition partition, long offset)
    {
        WatermarkOffsets log;
        try
        {
            log = consumer.QueryWatermarkOffsets(partition, QueryTimeout);
        }
        catch (KafkaException queryFailed)
        {
            logger.LogWarning("{Partition}: fetch stopped at offset {Offset} outside the log; its range is unknown ({Reason}), asking again",
                partition, offset, queryFailed.Error.Reason);
            _stopped[partition] = offset;
            return;
        }

        long resumeAt;
        if (offset < 0)
        {
            // No committed offset: a new group, or offsets the broker expired. What came before the log's start cannot be judged.
            resumeAt = log.Low.Value;
            logger.Log(resumeAt > 0 ? LogLevel.Warning : LogLevel.Information,
                "{Partition}: no committed offset; starting at the log's start {Start}", partition, resumeAt);
        }
        else if (offset < log.Low.Value)
        {
            Report(partition, offset, log.Low.Value, "the fetch position was before the log's start");
            resumeAt = log.Low.Value;
        }
        else if (offset > log.High.Value)
        {
            // The log lost its end (a broker restarted empty, an unclean leader election): new messages start at its end.
            logger.LogWarning("{Partition}: position {Offset} is beyond the log's end {End}; the log was truncated, continuing at its end",
                partition, offset, log.High.Value);
            resumeAt = log.High.Value;
        }
        else
        {
            resumeAt = offset;
        }

        partitions.SkipTo(partition, resumeAt);
        try
        {
            consumer.Seek(new TopicPartitionOffset(partition, resumeAt));
        }
        catch (KafkaException seekFailed)
        {
            // Revoked meanwhile: its next owner starts from the committed offset and finds the gap itself.
            logger.LogDebug("{Partition}: not moved to {Offset}: {Reason}", partition, resumeAt, seekFailed.Error.Reason);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Task.Run(CheckPausedPartitions, stoppingToken);
            }
            catch (KafkaException exception)
            {
                logger.LogDebug("Log positions not checked: {Reason}", exception.Error.Reason);
            }

            await lost.WriteAsync(stoppingToken);
        }
    }

    private void CheckPausedPartitions()
    {
        var paused = partitions.PausedPartitions;
        if (paused.Count == 0)
        {
            return;
        }

        var positions = paused.ToDictionary(partition => partition, partition => consumer.Position(partition).Value);
        // Nothing consumed since the assignment: the fetch resumes at the group's committed offset.
        var unconsumed = positions.Where(position => position.Value < 0).Select(position => position.Key).ToList();
        if (unconsumed.Count > 0)
        {
            foreach (var committed in consumer.Committed(unconsumed, QueryTimeout))
            {
                positions[committed.TopicPartition] = committed.Offset.Value;
            }
        }

        foreach (var (partition, resumesAt) in positions.Where(position => position.Value >= 0))
        {
            var low = consumer.QueryWatermarkOffsets(partition, QueryTimeout).Low.Value;
            if (low > resumesAt)
            {
                Report(partition, resumesAt, low, "found while the partition was paused");
            }
        }
    }

    private void Report(TopicPartition partition, long from, long to, string how)
    {
        var reported = _reportedUpTo.GetOrAdd(partition, from);
        var start = Math.Max(from, reported);
        if (start >= to || !_reportedUpTo.TryUpdate(partition, to, reported))
        {
            return;
        }

        lost.Found(partition, start, to, how);
    }
}
