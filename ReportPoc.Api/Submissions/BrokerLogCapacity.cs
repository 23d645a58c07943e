using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// Local mode: keeps the async path from accepting what the dev broker would drop. librdkafka's mock cluster keeps at
/// most 5 MiB or 100,000 batches per partition (rdkafka_mock.c; no setting or API changes it) and drops the oldest
/// batches beyond that whether they were read or not. So this counts the messages the Api put on each partition that
/// the processors' group has not committed yet, and refuses a submission (503) when the fullest partition could not take
/// it within Publishing:PartitionLogBytes / PartitionLogMessages (the AppHost leaves one producer batch of headroom
/// below the mock's limit: a batch that straddles the committed offset is kept whole). The fullest partition decides
/// because the partition is chosen by the key after this check; keys spread evenly, so it costs little of the bound.
/// Off (every submission passes) when no bound is configured, as with a real broker, whose retention is the operator's.
/// </summary>
/// <remarks>
/// What it cannot see: messages put on the topic by anything but this Api process since it started (the dev broker
/// lives as long as the AppHost run; a restarted Api starts counting from zero), and a submission whose outcome is
/// unknown. A loss these allow is not silent: the processors' LogPositionWatch reports it.
/// </remarks>
public sealed class BrokerLogCapacity(IOptions<PublishingOptions> options, IConsumer<Ignore, Ignore> offsetsReader, IMeterFactory meters,
    ILogger<BrokerLogCapacity> logger) : BackgroundService
{
    /// <summary>Per message, besides key and value: record framing and the trace headers, with room to spare.</summary>
    public const int RecordOverheadBytes = 256;

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(3);

    private readonly long _limitBytes = options.Value.PartitionLogBytes;
    private readonly long _limitMessages = options.Value.PartitionLogMessages;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SortedDictionary<long, int>> _unread = [];
    private readonly Dictionary<int, long> _unreadBytes = [];
    private long _reservedBytes;
    private int _reservedMessages;
    private long _refused;
    private Counter<long>? _refusedCounter;

    public bool Bounded => _limitBytes > 0;

    /// <summary>Holds room for a message of <paramref name="bytes"/> (key and value) until <see cref="Release"/>; false when there is none.</summary>
    public bool TryReserve(int bytes)
    {
        if (!Bounded)
        {
            return true;
        }

        lock (_gate)
        {
            var (_, fullestBytes, fullestMessages) = Fullest();
            if (fullestBytes + _reservedBytes + bytes + RecordOverheadBytes > _limitBytes
                || _limitMessages > 0 && fullestMessages + _reservedMessages + 1 > _limitMessages)
            {
                _refused++;
                _refusedCounter?.Add(1);
                return false;
            }

            _reservedBytes += bytes + RecordOverheadBytes;
            _reservedMessages++;
            return true;
        }
    }

    /// <param name="stored">Where the broker put the message; null when it was not accepted (or its outcome is unknown).</param>
    public void Release(int bytes, TopicPartitionOffset? stored)
    {
        if (!Bounded)
        {
            return;
        }

        lock (_gate)
        {
            _reservedBytes -= bytes + RecordOverheadBytes;
            _reservedMessages--;
            if (stored is not null)
            {
                var partition = stored.Partition.Value;
                if (!_unread.TryGetValue(partition, out var messages))
                {
                    _unread[partition] = messages = [];
                }

                messages[stored.Offset.Value] = bytes + RecordOverheadBytes;
                _unreadBytes[partition] = _unreadBytes.GetValueOrDefault(partition) + bytes + RecordOverheadBytes;
            }
        }
    }

    /// <summary>The bound and how close the fullest partition is to it; null when there is no bound.</summary>
    public BrokerLogBound? Occupancy
    {
        get
        {
            if (!Bounded)
            {
                return null;
            }

            lock (_gate)
            {
                var (partition, bytes, messages) = Fullest();
                return new BrokerLogBound(_limitBytes, _limitMessages, partition, bytes, messages, _refused);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Bounded)
        {
            return;
        }

        var meter = meters.Create("ReportPoc.Api");
        _refusedCounter = meter.CreateCounter<long>("reports.api.broker_log_refused", "{submission}",
            "Submissions refused (503) because the dev broker's fullest partition could not hold them.");
        meter.CreateObservableGauge("reports.api.broker_log_fullest_bytes", () => Occupancy?.FullestPartitionBytes ?? 0, "By",
            "Unread bytes on the dev broker's fullest partition of reports.submitted, against Publishing:PartitionLogBytes.");
        logger.LogInformation("Dev broker bound: at most {Bytes} bytes / {Messages} messages unread per partition; beyond that, 503",
            _limitBytes, _limitMessages);

        using var timer = new PeriodicTimer(RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Task.Run(ForgetCommitted, stoppingToken);
        }
    }

    /// <summary>Messages below the group's committed offset are read: the mock may drop them without loss.</summary>
    private void ForgetCommitted()
    {
        List<TopicPartition> partitions;
        lock (_gate)
        {
            partitions = [.. _unread.Where(partition => partition.Value.Count > 0).Select(partition => new TopicPartition(KafkaTopics.Submitted, partition.Key))];
        }

        if (partitions.Count == 0)
        {
            return;
        }

        List<TopicPartitionOffset> committed;
        try
        {
            committed = offsetsReader.Committed(partitions, QueryTimeout);
        }
        catch (KafkaException exception)
        {
            logger.LogDebug("Committed offsets not read: {Reason}", exception.Error.Reason);
            return;
        }

        lock (_gate)
        {
            foreach (var offset in committed.Where(offset => offset.Offset.Value >= 0))
            {
                var messages = _unread[offset.Partition.Value];
                while (messages.Count > 0 && messages.First() is var (first, bytes) && first < offset.Offset.Value)
                {
                    messages.Remove(first);
                    _unreadBytes[offset.Partition.Value] -= bytes;
                }
            }
        }
    }

    private (int Partition, long Bytes, long Messages) Fullest() =>
        _unread.Count == 0
            ? (-1, 0, 0)
            : _unread.Select(partition => (partition.Key, _unreadBytes.GetValueOrDefault(partition.Key), (long)partition.Value.Count))
                .MaxBy(partition => partition.Item2);
}
