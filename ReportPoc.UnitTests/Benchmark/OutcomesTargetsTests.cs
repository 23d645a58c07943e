using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Outcomes;

namespace ReportPoc.UnitTests.Benchmark;

/// <summary>The outcomes mode's targets follow from its figures: one lost report, one late answer or a slow tail is a miss.</summary>
public sealed class OutcomesTargetsTests
{
    private static LatencySummary Delay(double p99Ms) => new(100, p99Ms / 3, p99Ms / 3, p99Ms / 2, p99Ms, p99Ms);

    private static OutcomesResults Results(double streamP99Ms = 40, int lost = 0, long duplicates = 0, int offSetting = 0, int refusedOnReopen = 0) =>
        new(DateTimeOffset.UtcNow, "2 cores", 8, 10,
            new NotificationDelayResult(4, 0.5, 1,
                new FollowerResult("event stream", 80, 80, 1, Delay(streamP99Ms)),
                new FollowerResult("polling every 1 s", 80, 80, 1.6, Delay(1100))),
            [],
            new MigrationRehearsalResult(4, 1, 46, MigrationRehearsal.GraceSeconds, [], 184, 184 - lost, 0, offSetting, 0, lost, 184 - lost, 0, 184 - lost, duplicates, []),
            new OpenStreamsResult(2000, 2000, 0, 2000, 3, 100, [], 0.02, 0) { RefusedOnReopen = refusedOnReopen });

    [Fact]
    public void FiguresWithinEveryTargetMeetThemAll() => Assert.True(OutcomesReport.Holds(Results()));

    [Theory]
    [InlineData(OutcomeTarget.NotificationDelay, 101.0, 0, 0L, 0, 0)]
    [InlineData(OutcomeTarget.RehearsalNothingLost, 40.0, 1, 0L, 0, 0)]
    [InlineData(OutcomeTarget.RehearsalNothingLost, 40.0, 0, 1L, 0, 0)]
    [InlineData(OutcomeTarget.RehearsalFollowsSetting, 40.0, 0, 0L, 1, 0)]
    [InlineData(OutcomeTarget.StreamsLetGo, 40.0, 0, 0L, 0, 1)]
    public void OneFigureOutsideItsTargetMissesThatTarget(OutcomeTarget missed, double streamP99Ms, int lost, long duplicates, int offSetting, int refusedOnReopen)
    {
        var results = Results(streamP99Ms, lost, duplicates, offSetting, refusedOnReopen);

        Assert.All(OutcomesReport.Targets(results), target => Assert.Equal(target.Key != missed, target.Met));
        Assert.False(OutcomesReport.Holds(results));
    }
}
