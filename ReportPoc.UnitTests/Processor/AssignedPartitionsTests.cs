using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ReportPoc.Processor.Consuming;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Processor;

public sealed class AssignedPartitionsTests
{
    private static readonly TopicPartition P0 = new("reports.submitted", 0);
    private static readonly TopicPartition P1 = new("reports.submitted", 1);

    private readonly FakeTimeProvider _clock = new();
    private readonly AssignedPartitions _partitions;
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly RecordingConsumer _kafka;
    private readonly Dictionary<TopicPartitionOffset, CancellationToken> _work = [];

    public AssignedPartitionsTests()
    {
        _partitions = new AssignedPartitions(_clock, NullLogger<AssignedPartitions>.Instance);
        (_consumer, _kafka) = RecordingConsumer.Create();
    }

    [Fact]
    public void CommitsOnlyUpToTheFirstUnfinishedMessage()
    {
        _partitions.Assign([P0]);
        Start(P0, 10, 11, 12);
        Finish(P0, 11);
        Finish(P0, 12);

        _partitions.Commit(_consumer);
        Assert.Equal([At(P0, 10)], Assert.Single(_kafka.Commits)); // 11 and 12 are done, but 10 is not: it must be read again

        Finish(P0, 10);
        _partitions.Commit(_consumer);
        Assert.Equal([At(P0, 13)], _kafka.Commits[1]);
    }

    [Fact]
    public void AMessageHandedBackStaysUncommitted()
    {
        _partitions.Assign([P0]);
        Start(P0, 5, 6);
        HandBack(P0, 5);
        Finish(P0, 6);

        _partitions.Commit(_consumer);

        Assert.Equal([At(P0, 5)], Assert.Single(_kafka.Commits));
        Assert.Equal(0, _partitions.Running);
    }

    [Fact]
    public void MessagesFinishedOutOfOrderAreCommittedAsTheGapsClose()
    {
        _partitions.Assign([P0]);
        Start(P0, 0, 1, 2, 3, 4);

        foreach (var offset in new long[] { 3, 1, 4, 0, 2 })
        {
            Finish(P0, offset);
            _partitions.Commit(_consumer);
        }

        // Only where the committable offset moved is there a commit: 0 at first, 2 once 0 and 1 are done, 5 at the end.
        Assert.Equal([0L, 2L, 5L], _kafka.Commits.Select(commit => Assert.Single(commit).Offset.Value));
    }

    [Fact]
    public void CommitsOnlyThePartitionsAskedForAndOnlyWhereTheyMoved()
    {
        _partitions.Assign([P0, P1]);
        Start(P0, 0);
        Start(P1, 0);
        Finish(P0, 0);
        Finish(P1, 0);

        _partitions.Commit(_consumer, [P1]);
        Assert.Equal([At(P1, 1)], Assert.Single(_kafka.Commits));

        _partitions.Commit(_consumer);
        Assert.Equal([At(P0, 1)], _kafka.Commits[1]); // P1 did not move since its commit

        _partitions.Commit(_consumer);
        Assert.Equal(2, _kafka.Commits.Count);
    }

    [Fact]
    public void AFailedCommitIsMadeAgainByTheNextOne()
    {
        _partitions.Assign([P0]);
        Start(P0, 0);
        Finish(P0, 0);
        _kafka.FailNextCommit = new KafkaException(ErrorCode.Local_TimedOut);

        _partitions.Commit(_consumer);
        _partitions.Commit(_consumer);

        Assert.Equal([At(P0, 1)], Assert.Single(_kafka.Commits));
    }

    [Fact]
    public void AForgottenPartitionIgnoresLateResultsAndIsNotCommitted()
    {
        _partitions.Assign([P0, P1]);
        Start(P0, 7);
        Start(P1, 3);

        _partitions.Forget([P0]);
        Finish(P0, 7);
        HandBack(P0, 7);
        _partitions.Commit(_consumer);

        Assert.Equal([At(P1, 3)], Assert.Single(_kafka.Commits)); // P0 is not ours to commit any more
        Assert.Equal(1, _partitions.Running);
        Assert.Equal([1], _partitions.Partitions);
        Assert.Null(_partitions.Started(At(P0, 8))); // a message of a partition given away is not started
    }

    [Fact]
    public void ALateResultOfAnEarlierAssignmentDoesNotCountForTheNextOne()
    {
        // Partition lost (or revoked with work that did not stop in time), then assigned back to this member: the old
        // work and the redelivered message share the partition and the offset, not the assignment.
        _partitions.Assign([P0]);
        var oldWork = Start(P0, 7)[0];
        _partitions.Forget([P0]);
        _partitions.Assign([P0]);
        var newWork = Start(P0, 7)[0];

        _partitions.HandedBack(At(P0, 7), oldWork); // the old work stops after all

        Assert.Equal(1, _partitions.Running); // the redelivered message is still running
        Assert.False(_partitions.WaitUntilIdle([P0], TimeSpan.Zero));
        _partitions.Finished(At(P0, 7), newWork);
        Assert.Equal(0, _partitions.Running);
        Assert.True(_partitions.WaitUntilIdle([P0], TimeSpan.Zero));
        _partitions.Commit(_consumer);
        Assert.Equal([At(P0, 8)], Assert.Single(_kafka.Commits));
    }

    [Fact]
    public void RunningWorkIsCountedWithItsAgeUntilItIsFinishedOrHandedBack()
    {
        _partitions.Assign([P0, P1]);
        Start(P0, 0);
        _clock.Advance(TimeSpan.FromSeconds(60));
        Start(P0, 1);
        Start(P1, 0);
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(3, _partitions.Running);
        Assert.Equal(3, _partitions.RunningLongerThan(TimeSpan.FromSeconds(20)));
        Assert.Equal(1, _partitions.RunningLongerThan(TimeSpan.FromSeconds(60))); // P0's first, 90 s in
        Assert.Equal(0, _partitions.RunningLongerThan(TimeSpan.FromSeconds(100)));

        Finish(P0, 0);
        Assert.Equal(2, _partitions.Running);
        Assert.Equal(0, _partitions.RunningLongerThan(TimeSpan.FromSeconds(60)));

        HandBack(P0, 1);
        Assert.Equal(1, _partitions.Running);
        Assert.Equal(1, _partitions.RunningLongerThan(TimeSpan.FromSeconds(20)));

        Finish(P1, 0);
        Assert.Equal(0, _partitions.Running);
        Assert.Equal(0, _partitions.RunningLongerThan(TimeSpan.Zero));
    }

    [Fact]
    public void WorkOfARevokedPartitionStopsCountingAndItsRedeliveryCountsFromItsOwnStart()
    {
        _partitions.Assign([P0, P1]);
        var oldWork = Start(P0, 7)[0];
        Start(P1, 3);
        _clock.Advance(TimeSpan.FromMinutes(5));

        _partitions.Forget([P0]);
        Assert.Equal(1, _partitions.Running);
        Assert.Equal(1, _partitions.RunningLongerThan(TimeSpan.FromMinutes(1)));

        _partitions.Assign([P0]);
        Start(P0, 7);
        _partitions.HandedBack(At(P0, 7), oldWork); // the old work stops after all: the redelivery still runs

        Assert.Equal(2, _partitions.Running);
        Assert.Equal(1, _partitions.RunningLongerThan(TimeSpan.FromMinutes(1))); // only P1's: the redelivery just started
    }

    [Fact]
    public void EachPartitionHasItsOwnCancellation()
    {
        _partitions.Assign([P0, P1]);
        var p0 = _partitions.Started(At(P0, 0))!.Value;
        var p1 = _partitions.Started(At(P1, 0))!.Value;

        _partitions.Cancel([P0]);
        Assert.True(p0.IsCancellationRequested);
        Assert.False(p1.IsCancellationRequested);

        _partitions.Forget([P1]);
        Assert.True(p1.IsCancellationRequested);
    }

    [Fact]
    public void CancellingEverythingReachesEveryPartition()
    {
        _partitions.Assign([P0, P1]);
        var tokens = new[] { _partitions.Started(At(P0, 0))!.Value, _partitions.Started(At(P1, 0))!.Value };

        _partitions.Cancel();

        Assert.All(tokens, token => Assert.True(token.IsCancellationRequested));
    }

    [Fact]
    public void SetPausedReportsOnlyThePartitionsWhoseStateChanged()
    {
        _partitions.Assign([P0, P1]);

        Assert.Equal([P0, P1], _partitions.SetPaused(true).OrderBy(partition => partition.Partition.Value));
        Assert.Empty(_partitions.SetPaused(true));

        var p2 = new TopicPartition("reports.submitted", 2);
        _partitions.Assign([p2]); // assigned while paused: not paused at the consumer yet
        Assert.Equal([p2], _partitions.SetPaused(true));

        Assert.Equal(3, _partitions.SetPaused(false).Count);
        Assert.Empty(_partitions.SetPaused(false));
    }

    [Fact]
    public void ANewlyAssignedPartitionIsReportedEitherWaySoTheConsumerIsToldItsStateOnce()
    {
        // librdkafka keeps a partition's pause across a revoke and a later assignment of the same partition: a
        // partition paused, revoked and assigned back stays paused at the consumer unless it is resumed explicitly.
        _partitions.Assign([P0]);
        Assert.Equal([P0], _partitions.SetPaused(true));
        _partitions.Forget([P0]);
        _partitions.Assign([P0]);

        Assert.Equal([P0], _partitions.SetPaused(false));
        Assert.Empty(_partitions.SetPaused(false));
    }

    [Fact]
    public void WaitUntilIdleReturnsWhenTheWorkOfThePartitionsAskedForEnds()
    {
        _partitions.Assign([P0, P1]);
        Start(P0, 0);
        Start(P1, 0);

        Assert.False(_partitions.WaitUntilIdle([P0], TimeSpan.FromMilliseconds(50)));

        var finishing = false;
        _ = Task.Run(async () =>
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            Volatile.Write(ref finishing, true);
            Finish(P0, 0);
        }, TestContext.Current.CancellationToken);
        Assert.True(_partitions.WaitUntilIdle([P0], TimeSpan.FromSeconds(10)));
        Assert.True(Volatile.Read(ref finishing)); // idle because the work ended, not before

        Assert.False(_partitions.WaitUntilIdle(null, TimeSpan.Zero)); // P1 still runs
        HandBack(P1, 0);
        Assert.True(_partitions.WaitUntilIdle(null, TimeSpan.Zero));
    }

    [Fact]
    public async Task AFullInstanceWaitsForRoomAndIsWokenWhenWorkEnds()
    {
        _partitions.Assign([P0]);
        Start(P0, 0, 1);
        Assert.False(_partitions.WaitForRoom(2, TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken)); // full: no room came

        var ended = false;
        var waking = Task.Run(async () =>
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            Volatile.Write(ref ended, true);
            Finish(P0, 1);
        }, TestContext.Current.CancellationToken);
        // Woken by the work's end, long before the timeout (which alone would also find room once it had ended).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(_partitions.WaitForRoom(2, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.True(Volatile.Read(ref ended));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), $"woken after {waited.Elapsed}, not by the work's end");
        await waking;

        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        Start(P0, 2);
        Assert.False(_partitions.WaitForRoom(2, TimeSpan.FromSeconds(30), stopping.Token)); // a stop ends the wait
    }

    private CancellationToken[] Start(TopicPartition partition, params long[] offsets) =>
        [.. offsets.Select(offset => _work[At(partition, offset)] = _partitions.Started(At(partition, offset)) ?? throw new InvalidOperationException("not assigned"))];

    private void Finish(TopicPartition partition, long offset) => _partitions.Finished(At(partition, offset), _work[At(partition, offset)]);

    private void HandBack(TopicPartition partition, long offset) => _partitions.HandedBack(At(partition, offset), _work[At(partition, offset)]);

    private static TopicPartitionOffset At(TopicPartition partition, long offset) => new(partition, offset);
}
