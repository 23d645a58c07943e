using Confluent.Kafka;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// The consumer's bookkeeping of its assigned partitions: which consumed messages are unfinished, how far each
/// partition may be committed, whether it is paused, and a token that cancels its in-flight work. A partition is
/// committed only up to its first unfinished message, so a message finished early never lets an earlier one be
/// skipped after a crash; a message handed back unfinished (cancelled) stays unfinished and is redelivered to
/// whoever owns the partition next. Its count of running messages is the instance's one count of work in flight: it
/// decides when the instance is full, and the heartbeat row and the processor's gauges read it.
/// </summary>
public sealed class AssignedPartitions(TimeProvider clock, ILogger<AssignedPartitions> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly ManualResetEventSlim _workEnded = new(false);

    /// <summary>Messages dispatched whose work has not ended, over all partitions.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Values.Sum(partition => partition.Running.Count);
            }
        }
    }

    /// <summary>Messages whose work has run for longer than <paramref name="age"/> since they were dispatched.</summary>
    public int RunningLongerThan(TimeSpan age)
    {
        lock (_gate)
        {
            return _partitions.Values.Sum(partition => partition.Running.Values.Count(startedAt => clock.GetElapsedTime(startedAt) > age));
        }
    }

    public IReadOnlyList<int> Partitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _partitions.Keys.Select(partition => partition.Partition.Value).Order()];
            }
        }
    }

    /// <summary>The partitions the consumer was last told to pause.</summary>
    public IReadOnlyList<TopicPartition> PausedPartitions
    {
        get
        {
            lock (_gate)
            {
                return [.. _partitions.Where(partition => partition.Value.Paused == true).Select(partition => partition.Key)];
            }
        }
    }

    public void Assign(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions[partition] = new PartitionState();
            }
        }
    }

    /// <returns>The token that is cancelled when the message's partition is revoked or lost; null when it is not assigned.</returns>
    public CancellationToken? Started(TopicPartitionOffset message)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(message.TopicPartition, out var partition))
            {
                return null;
            }

            partition.Unfinished.Add(message.Offset.Value);
            partition.Next = Math.Max(partition.Next, message.Offset.Value + 1);
            partition.Running[message.Offset.Value] = clock.GetTimestamp();
            return partition.Work.Token;
        }
    }

    /// <param name="work">The token <see cref="Started"/> gave the message, which tells its assignment of the partition.</param>
    public void Finished(TopicPartitionOffset message, CancellationToken work) => Release(message, work, finished: true);

    /// <summary>The message's work stopped without finishing it: it stays uncommitted.</summary>
    /// <param name="work">The token <see cref="Started"/> gave the message, which tells its assignment of the partition.</param>
    public void HandedBack(TopicPartitionOffset message, CancellationToken work) => Release(message, work, finished: false);

    /// <summary>
    /// Blocks until fewer than <paramref name="limit"/> messages are running, <paramref name="timeout"/> has passed or
    /// the instance stops; true when there is room. The consumer's thread waits here for a moment instead of pausing its partitions at
    /// once: a pause drops what librdkafka has prefetched, and the fetch after resuming left each freed slot idle for
    /// well over half a second (docs/benchmarks.md, issue 22).
    /// </summary>
    public bool WaitForRoom(int limit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            _workEnded.Reset();
            if (Running < limit)
            {
                return true;
            }

            var left = deadline - DateTime.UtcNow;
            try
            {
                if (left <= TimeSpan.Zero || !_workEnded.Wait(left, cancellationToken))
                {
                    return Running < limit;
                }
            }
            catch (OperationCanceledException)
            {
                return false; // stopping: the caller's loop ends
            }
        }
    }

    /// <returns>The partitions whose paused state changed, which the caller pauses or resumes at the consumer.</returns>
    public IReadOnlyList<TopicPartition> SetPaused(bool paused)
    {
        lock (_gate)
        {
            // A newly assigned partition has no known state: librdkafka keeps a partition's pause across a revoke and a
            // later assignment of it, so it must be told either way once.
            var changed = _partitions.Where(partition => partition.Value.Paused != paused).Select(partition => partition.Key).ToList();
            changed.ForEach(partition => _partitions[partition].Paused = paused);
            return changed;
        }
    }

    /// <summary>Commits the given partitions (all when null) up to their first unfinished message, where that moved.</summary>
    public void Commit(IConsumer<string, byte[]> consumer, IReadOnlyCollection<TopicPartition>? only = null)
    {
        List<TopicPartitionOffset> commits;
        lock (_gate)
        {
            commits = Select(only)
                .Where(partition => partition.Value.Committable > partition.Value.Committed)
                .Select(partition => new TopicPartitionOffset(partition.Key, partition.Value.Committable))
                .ToList();
        }

        if (commits.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(commits);
        }
        catch (KafkaException exception)
        {
            // Not fatal: the offsets go with the next commit; at worst a finished message is redelivered (and found done).
            logger.LogWarning("Offset commit failed: {Reason}", exception.Error.Reason);
            return;
        }

        lock (_gate)
        {
            foreach (var commit in commits)
            {
                if (_partitions.TryGetValue(commit.TopicPartition, out var partition))
                {
                    partition.Committed = Math.Max(partition.Committed, commit.Offset.Value);
                }
            }
        }
    }

    /// <summary>Cancels the in-flight work of the given partitions (all when null).</summary>
    public void Cancel(IReadOnlyCollection<TopicPartition>? only = null)
    {
        List<CancellationTokenSource> work;
        lock (_gate)
        {
            work = Select(only).Select(partition => partition.Value.Work).ToList();
        }

        work.ForEach(source => source.Cancel());
    }

    /// <returns>True once no work of the given partitions (all when null) is running; false when the timeout came first.</returns>
    public bool WaitUntilIdle(IReadOnlyCollection<TopicPartition>? only, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                if (Select(only).All(partition => partition.Value.Running.Count == 0))
                {
                    return true;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Stops tracking the partitions; work still running for them is cancelled and its end ignored.</summary>
    public void Forget(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_partitions.Remove(partition, out var state))
                {
                    state.Work.Cancel();
                }
            }
        }
    }

    private IEnumerable<KeyValuePair<TopicPartition, PartitionState>> Select(IReadOnlyCollection<TopicPartition>? only) =>
        _partitions.Where(partition => only is null || only.Contains(partition.Key));

    private void Release(TopicPartitionOffset message, CancellationToken work, bool finished)
    {
        lock (_gate)
        {
            // Revoked meanwhile, perhaps assigned back since (a new assignment has its own token, and its own count of
            // this offset if it was redelivered): the partition's current owner decides.
            if (!_partitions.TryGetValue(message.TopicPartition, out var partition) || partition.Work.Token != work)
            {
                return;
            }

            partition.Running.Remove(message.Offset.Value);
            if (finished)
            {
                partition.Unfinished.Remove(message.Offset.Value);
            }
        }

        _workEnded.Set();
    }

    private sealed class PartitionState
    {
        public SortedSet<long> Unfinished { get; } = [];

        public CancellationTokenSource Work { get; } = new();

        /// <summary>Messages dispatched whose work has not ended (finished or handed back), by offset: when each started.</summary>
        public Dictionary<long, long> Running { get; } = [];

        /// <summary>What the consumer was last told; null until it has been told anything for this assignment.</summary>
        public bool? Paused { get; set; }

        /// <summary>The offset after the last message handed out.</summary>
        public long Next { get; set; } = -1;

        public long Committed { get; set; } = -1;

        /// <summary>Kafka commits "the next offset to read": the first unfinished message, or the one after the last.</summary>
        public long Committable => Unfinished.Count > 0 ? Unfinished.Min : Next;
    }
}
