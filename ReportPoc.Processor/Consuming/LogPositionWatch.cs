using System.Collections.Concurrent;
using Confluent.Kafka;
using ReportPoc.Processor.Monitoring;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Finds messages that left the log before this instance read them (retention shorter than an outage, or the dev broker's
/// size limit) and reports them through <see cref="LostMessages"/>, so that a loss is never silent. Two places see it:
/// <list type="bullet">
/// <item>A paused partition fetches nothing, and a pause (a dependency's outage) is when a backlog grows: every
/// <see cref="CheckInterval"/> the position each paused partition resumes at (librdkafka purges its fetched messages on
/// pause, so that is the next offset it needs) is compared with the log's start, and the gap is reported while the
/// pause lasts.</item>
/// <item>The consume loop (<see cref="Consumed"/>): a message whose offset is past the one expected (the offset after
/// the partition's previous message, or the group's committed offset for the first message of an assignment) means the
/// consumer jumped over what was between: auto.offset.reset moving a position that fell out of the log to its start.
/// On reports.submitted offsets are contiguous (no transactions, no compaction), so any jump is a loss.</item>
/// </list>
/// Each offset is reported once by an instance (and recorded once: see <see cref="LostMessages"/>). Watermark queries
/// go to the partition leader, not to the group coordinator.
/// </summary>
/// <remarks>
/// auto.offset.reset stays "earliest": with "error" librdkafka stops the partition's fetch at the reset, and restarting
/// it takes a seek that librdkafka refuses in that state (ERR__STATE) or a re-assignment outside the rebalance; moving
/// on is right once the gap is reported, since what left the log cannot be read again anyway.
/// </remarks>
public sealed class LogPositionWatch(IServiceProvider services, AssignedPartitions partitions, LostMessages lost,
    ILogger<LogPositionWatch> logger) : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Per partition, the offset the next message should have; none before the first message of an assignment.</summary>
    private readonly ConcurrentDictionary<TopicPartition, long> _expected = new();

    /// <summary>Per partition, the offset up to which a gap has been reported already.</summary>
    private readonly ConcurrentDictionary<TopicPartition, long> _reportedUpTo = new();

    private IConsumer<string, byte[]>? _consumer;

    /// <summary>Resolved on first use: the consumer is built with the rebalance handlers, which call <see cref="Assigned"/>.</summary>
    private IConsumer<string, byte[]> Consumer => _consumer ??= services.GetRequiredService<IConsumer<string, byte[]>>();

    /// <summary>A new assignment starts at the group's committed offset, wherever this instance left the partition before.</summary>
    public void Assigned(IEnumerable<TopicPartition> assigned)
    {
        foreach (var partition in assigned)
        {
            _expected.TryRemove(partition, out _);
        }
    }

    /// <summary>On the consume thread, for every message before it is dispatched.</summary>
    public void Consumed(TopicPartitionOffset message)
    {
        var offset = message.Offset.Value;
        if (!_expected.TryGetValue(message.TopicPartition, out var expected))
        {
            expected = CommittedOffset(message.TopicPartition);
        }

        if (expected >= 0 && offset > expected)
        {
            Report(message.TopicPartition, expected, offset, "the consumer's position was reset over them to the log's start");
        }

        _expected[message.TopicPartition] = Math.Max(expected, offset + 1);
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

    /// <summary>
    /// No commit yet means the group has read nothing of the partition and starts at its first offset
    /// (auto.offset.reset=earliest): every message from offset 0 on was still to be read. Treating it as "unknown" hid
    /// the loss on a partition the processors had never committed (the first minutes of a new system, or a quiet partition).
    /// </summary>
    private static long ResumesAt(Offset committed) => committed.IsSpecial ? 0 : committed.Value;

    /// <returns>Where the group's next read of the partition starts; -1 when the broker cannot say now.</returns>
    private long CommittedOffset(TopicPartition partition)
    {
        try
        {
            return ResumesAt(Consumer.Committed([partition], QueryTimeout).Single().Offset);
        }
        catch (KafkaException exception)
        {
            logger.LogDebug("{Partition}: committed offset unknown, its first message is not checked: {Reason}", partition, exception.Error.Reason);
            return -1;
        }
    }

    private void CheckPausedPartitions()
    {
        var paused = partitions.PausedPartitions;
        if (paused.Count == 0)
        {
            return;
        }

        var positions = paused.ToDictionary(partition => partition, partition => Consumer.Position(partition).Value);
        // Nothing consumed since the assignment: the fetch resumes at the group's committed offset.
        var unconsumed = positions.Where(position => position.Value < 0).Select(position => position.Key).ToList();
        if (unconsumed.Count > 0)
        {
            foreach (var committed in Consumer.Committed(unconsumed, QueryTimeout))
            {
                positions[committed.TopicPartition] = ResumesAt(committed.Offset);
            }
        }

        foreach (var (partition, resumesAt) in positions.Where(position => position.Value >= 0))
        {
            var low = Consumer.QueryWatermarkOffsets(partition, QueryTimeout).Low.Value;
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
