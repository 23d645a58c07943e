using ReportPoc.Api.Monitoring;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.UnitTests.Api;

/// <summary>What the page says limits the throughput (ProcessingProbe.Judge), one case per answer and per precedence.</summary>
public sealed class BottleneckJudgementTests
{
    private const int MaxInFlight = 32;
    private const int Partitions = 6;

    private static readonly ProcessingPause LpPause = new("LP", DateTimeOffset.UnixEpoch, "LP answered 503", 40);

    [Fact]
    public void APauseExplainsEverything() =>
        Assert.Equal(Bottleneck.Paused, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], MaxInFlight)], LpPause, Lp(8, 8, 20), Partitions));

    [Fact]
    public void WithoutInstancesNothingIsProcessed() =>
        Assert.Equal(Bottleneck.NoProcessors, ProcessingProbe.Judge([], null, Lp(8, 0, 0), Partitions));

    [Fact]
    public void LpAtCapacityWithRunsWaitingIsTheBottleneckWhateverTheInstancesDo() =>
        Assert.Equal(Bottleneck.Lp, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight)], null, Lp(8, 8, 48), Partitions));

    [Theory]
    [InlineData(8, 8, 0)] // every slot busy, nobody waits: LP keeps up exactly
    [InlineData(8, 5, 0)]
    public void LpWithoutRunsWaitingIsNotTheBottleneck(int capacity, int inFlight, int waiting) =>
        Assert.Equal(Bottleneck.None, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], 4)], null, Lp(capacity, inFlight, waiting), Partitions));

    [Fact]
    public void EveryInstanceAtItsInFlightLimitWithPartitionsLeftIsTheProcessors() =>
        Assert.Equal(Bottleneck.Processors, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight - 2)], null, Lp(1000, 60, 0), Partitions));

    [Fact]
    public void OneInstanceBelowItsLimitMeansTheProcessorsKeepUp() =>
        Assert.Equal(Bottleneck.None, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight / 2)], null, Lp(1000, 48, 0), Partitions));

    [Fact]
    public void BusyInstancesOnEveryPartitionAreCappedByThePartitionCount()
    {
        var sixBusy = Enumerable.Range(0, Partitions).Select(partition => Instance([partition], MaxInFlight));
        // A seventh instance owns nothing and idles: it neither counts as busy nor lifts the cap.
        Assert.Equal(Bottleneck.Partitions, ProcessingProbe.Judge([.. sixBusy, Instance([], 0)], null, Lp(1000, 190, 0), Partitions));
    }

    [Fact]
    public void AnUnknownPartitionCountDoesNotCapAnything() =>
        Assert.Equal(Bottleneck.Processors, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], MaxInFlight)], null, null, partitions: null));

    private static ProcessorInstanceStatus Instance(int[] partitions, int inFlight) =>
        new($"processor-{Guid.NewGuid():N}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, partitions, inFlight, MaxInFlight, 0, null, null, null);

    private static LpStats Lp(int capacity, int inFlight, int waiting) => new()
    {
        Capacity = capacity,
        InFlightRuns = inFlight,
        WaitingRuns = waiting,
        PeakConcurrentRuns = inFlight,
        SetQueueCalls = 0,
        RunCalls = 0,
        RunExecutions = 0,
        DuplicateSetQueueCalls = 0,
        DuplicateRunExecutions = 0,
        FailedCalls = 0,
        RejectedCalls = 0,
        ConflictCalls = 0,
        CompletedRuns = 0,
        Faults = LpFaults.None,
        Profile = new LpProfile(100, 1000, 0.2),
    };
}
