using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// Response time like with like: both paths at the same offered load. Acknowledgement against acknowledgement, Completed
/// against Completed, and the drain after twice LP's limit against what LP allows.
/// </summary>
public sealed class ResponseTimeFindingsTests
{
    private static readonly Text Missing = Text.Same("not measured in this run");

    [Fact]
    public void TheAsyncAcknowledgementMustBeFasterAtEveryLoad()
    {
        var runs = Loads(asyncAckAtLimitMs: 20).ToList();
        Assert.True(ResponseTimeFindings.Ack(runs, Missing).Met);

        // At LP's limit the async acknowledgement is only about 5× faster: one load is enough to miss.
        var slow = Loads(asyncAckAtLimitMs: 230).ToList();
        Assert.False(ResponseTimeFindings.Ack(slow, Missing).Met);
    }

    [Theory]
    [InlineData(1_090, true)]
    [InlineData(1_200, false)]
    public void BelowLpsLimitTheAsyncPathCompletesWithinTheSlackOfTheSyncPath(double asyncCompletedMs, bool met)
    {
        var runs = Loads(asyncAckAtLimitMs: 20, asyncCompletedBelowMs: asyncCompletedMs).ToList();

        Assert.Equal(met, ResponseTimeFindings.Completed(runs, Missing).Met);
    }

    [Theory]
    [InlineData(22.0, 0, true)]   // 160 reports at 8/s: LP alone 20 s, allowed 1.25 × 20 + 3 = 28 s
    [InlineData(30.0, 0, false)]  // slower than LP allows
    [InlineData(22.0, 3, false)]  // reports left unfinished
    public void AfterTwiceLpsLimitTheBacklogDrainsAsFastAsLpAllows(double drainSeconds, int unfinished, bool met)
    {
        var above = Run(BenchmarkResults.Async, SameLoadLevels.Above, 2.0, ackMs: 15, completedMs: 15_000) with
        {
            BacklogAtLoadEnd = 160, Unfinished = unfinished, DrainSeconds = unfinished > 0 ? null : drainSeconds,
        };

        Assert.Equal(met, ResponseTimeFindings.Drain([above], Missing).Met);
    }

    [Fact]
    public void WithoutTheComparisonNothingIsMeasured()
    {
        Assert.Null(ResponseTimeFindings.Ack([], Missing).Met);
        Assert.Null(ResponseTimeFindings.Completed([], Missing).Met);
        Assert.Null(ResponseTimeFindings.Drain([], Missing).Met);
    }

    private static IEnumerable<SameLoadResult> Loads(double asyncAckAtLimitMs, double asyncCompletedBelowMs = 1_090)
    {
        foreach (var (load, fraction) in SameLoadLevels.All)
        {
            // The sync path's answer is its completion: LP's own time, and a queue in front of LP above its limit.
            var sync = load == SameLoadLevels.Above ? 5_000 : 1_060;
            yield return Run(BenchmarkResults.Sync, load, fraction, ackMs: sync, completedMs: sync);
            yield return Run(BenchmarkResults.Async, load, fraction, ackMs: load == SameLoadLevels.At ? asyncAckAtLimitMs : 12,
                completedMs: load == SameLoadLevels.Below ? asyncCompletedBelowMs : 1_100);
        }
    }

    private static SameLoadResult Run(string path, string load, double fraction, double ackMs, double completedMs) => new(
        path, load, fraction, OfferedPerSecond: 8 * fraction, LpLimitPerSecond: 8, Seconds: 20, Sent: 160, Acknowledged: 160, Completed: 160, Failed: 0,
        Errors: 0, Unfinished: 0, Summary(ackMs), Summary(completedMs), PeakBacklog: 10, BacklogAtLoadEnd: 8, DrainSeconds: 1.2, Backlog: []);

    private static ReportPoc.Benchmark.Load.LatencySummary Summary(double ms) => new(160, ms, ms, ms, ms, ms);
}
