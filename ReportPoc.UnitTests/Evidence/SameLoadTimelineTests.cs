using ReportPoc.Benchmark.SameLoad;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>The arithmetic of the same-load mode: latencies per report, the backlog over time, and the drain after the load.</summary>
public sealed class SameLoadTimelineTests
{
    [Fact]
    public void TheBacklogCountsReportsSentAndNotYetFinal()
    {
        ReportTimeline[] reports =
        [
            new(0.0, 0.01, 1.0, true),
            new(1.0, 1.01, 2.5, true),
            new(2.0, 2.01, 5.0, true),
            new(3.0, 3.01, 6.0, false),
        ];

        var result = SameLoadTimeline.Summarize("async", SameLoadLevels.Above, 2, 1, 0.5, loadSeconds: 4, reports);

        Assert.Equal(2, result.BacklogAtLoadEnd);            // sent by 4 s, final after it: the third and the fourth
        Assert.Equal(2, result.PeakBacklog);                  // at 2 s the second is still open; at 3 s the second is done
        Assert.Equal(2.0, result.DrainSeconds!.Value, 3);     // the last report final at 6 s, the load stopped at 4 s
        Assert.Equal(4.0, result.ExpectedDrainSeconds, 3);    // 2 reports at LP's 0.5/s
        Assert.Equal((3, 1, 0, 0), (result.Completed, result.Failed, result.Errors, result.Unfinished));
        Assert.Equal([1, 1, 2, 2, 2, 1, 0], result.Backlog.Select(sample => sample.Backlog));
    }

    [Fact]
    public void ToCompletedRunsFromTheSendAndOnlyForCompletedReports()
    {
        ReportTimeline[] reports = [new(0.0, 0.02, 1.1, true), new(1.0, 1.03, 2.0, false)];

        var result = SameLoadTimeline.Summarize("async", SameLoadLevels.Below, 0.5, 4, 8, loadSeconds: 2, reports);

        Assert.Equal(1, result.ToCompleted.Count);
        Assert.InRange(result.ToCompleted.P50Ms, 1_098, 1_102);  // the histogram keeps three significant digits
        Assert.Equal(2, result.Ack.Count);
    }

    [Fact]
    public void AnUnfinishedReportLeavesTheBacklogUndrained()
    {
        ReportTimeline[] reports = [new(0.0, 0.01, 1.0, true), new(1.0, 1.01, null, false), new(1.5, null, null, false)];

        var result = SameLoadTimeline.Summarize("async", SameLoadLevels.At, 1, 8, 8, loadSeconds: 2, reports);

        Assert.Null(result.DrainSeconds);
        Assert.Equal(1, result.Unfinished);
        Assert.Equal(1, result.Errors);                       // never acknowledged: not accepted, not in the backlog
        Assert.Equal(1, result.BacklogAtLoadEnd);
    }
}
