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
        Assert.Equal(Bottleneck.Paused, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], MaxInFlight)], LpPause, Lp(8, 8, 20), Kafka(500)));

    [Fact]
    public void WithoutInstancesNothingIsProcessed() =>
        Assert.Equal(Bottleneck.NoProcessors, ProcessingProbe.Judge([], null, Lp(8, 0, 0), Kafka(500)));

    [Fact]
    public void LpAtCapacityWithRunsWaitingIsTheBottleneckWhateverTheInstancesDo() =>
        Assert.Equal(Bottleneck.Lp, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight)], null, Lp(8, 8, 48), Kafka(500)));

    [Theory]
    [InlineData(8, 8, 0)] // every slot busy, nobody waits: LP keeps up exactly
    [InlineData(8, 4, 0)]
    public void LpWithoutRunsWaitingIsNotTheBottleneck(int capacity, int inFlight, int waiting) =>
        Assert.Equal(Bottleneck.None, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], 4)], null, Lp(capacity, inFlight, waiting), Kafka(4)));

    [Fact]
    public void EveryInstanceAtItsInFlightLimitWithPartitionsLeftIsTheProcessors() =>
        Assert.Equal(Bottleneck.Processors, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight - 5)], null, Lp(1000, 52, 0), Kafka(900)));

    [Fact]
    public void InstancesBelowTheirLimitWithLittleWaitingKeepUp() =>
        Assert.Equal(Bottleneck.None, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight / 2)], null, Lp(1000, 44, 0), Kafka(48 + 2 * MaxInFlight)));

    [Fact]
    public void ReportsWaitingInKafkaWhileSlotsStayEmptyIsTheMachine() =>
        Assert.Equal(Bottleneck.Machine, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight / 2), Instance([3, 4, 5], MaxInFlight / 2)], null, Lp(1000, 30, 0), Kafka(32 + 2 * MaxInFlight + 1)));

    [Fact]
    public void FullSlotsWithMostReportsOutsideLpIsTheMachine() =>
        Assert.Equal(Bottleneck.Machine, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight)], null, Lp(1000, 20, 0), Kafka(900)));

    [Fact]
    public void ReportsOutsideLpBecauseOfInjectedErrorsAreNotTheMachine() =>
        Assert.Equal(Bottleneck.Processors, ProcessingProbe.Judge(
            [Instance([0, 1, 2], MaxInFlight), Instance([3, 4, 5], MaxInFlight)], null, Lp(1000, 20, 0, new LpFaults(ErrorRate: 0.2)), Kafka(900)));

    [Fact]
    public void BusyInstancesOnEveryPartitionAreCappedByThePartitionCount()
    {
        var sixBusy = Enumerable.Range(0, Partitions).Select(partition => Instance([partition], MaxInFlight));
        // A seventh instance owns nothing and idles: it neither counts as busy nor lifts the cap.
        Assert.Equal(Bottleneck.Partitions, ProcessingProbe.Judge([.. sixBusy, Instance([], 0)], null, Lp(1000, 180, 0), Kafka(2000)));
    }

    [Fact]
    public void AnUnknownLpAndBacklogJudgeByTheInstancesAlone() =>
        Assert.Equal(Bottleneck.Processors, ProcessingProbe.Judge([Instance([0, 1, 2, 3, 4, 5], MaxInFlight)], null, null, null));

    private static ProcessorInstanceStatus Instance(int[] partitions, int inFlight) =>
        new($"processor-{Guid.NewGuid():N}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, partitions, inFlight, MaxInFlight, 0, null, null, null);

    private static Backlog Kafka(long messages) => new("reports.submitted", "report-processor", messages, Partitions);

    private static LpStats Lp(int capacity, int inFlight, int waiting, LpFaults? faults = null) => new()
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
        Faults = faults ?? LpFaults.None,
        Profile = new LpProfile(100, 1000, 0.2),
    };
}
