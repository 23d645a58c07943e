using ReportPoc.Benchmark.Accept;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Benchmark.Soak;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>Every target of every round appears with met or missed, computed from the inputs; an absent input is "not measured in this run".</summary>
public sealed class TargetsTests
{
    private static readonly Text Absent = new("not measured in this run: no evidence run", "이번 실행에서 측정되지 않음");

    [Fact]
    public void WithoutInputsEveryTargetIsListedAndNoneHasAVerdict()
    {
        var rows = Targets.All(new("b.json", null, Absent), new("a.json", null, Absent), new("p.json", null, Absent), new("s.json", null, Absent));

        // 13 targets of rounds 1–3 and issue 21's five (the outcomes mode's own).
        Assert.Equal(13 + Enum.GetValues<OutcomeTarget>().Length, rows.Count);
        Assert.All(rows, row => Assert.Null(row.Met));
        Assert.All(rows, row => Assert.StartsWith("not measured in this run", row.Measured.En));
    }

    [Theory]
    [InlineData(6_000, 12_400, false)]   // 48 %: round 2's miss stays a miss
    [InlineData(8_000, 12_400, true)]
    public void AcceptThroughputWithHeyIsJudgedAgainstSixtyPercentOfAlive(double asyncPerSecond, double alivePerSecond, bool met)
    {
        var accept = new AcceptResults(DateTimeOffset.UtcNow, "2 cores", 64, 10,
            [new AcceptMeasurement(1.0, [Level("async", asyncPerSecond, 20), Level("/alive", alivePerSecond, 12)])]);

        var row = Targets.All(new("b.json", null, Absent), new("a.json", accept, null), new("p.json", null, Absent), new("s.json", null, Absent))
            .Single(row => row.Target.En.StartsWith("async accept ≥ 60%", StringComparison.Ordinal));

        Assert.Equal(met, row.Met);
    }

    [Theory]
    [InlineData(20, "ReportPoc.Api", false, false)]               // 20 minutes are not the 30 asked for
    [InlineData(30, "ReportPoc.Api", false, true)]
    [InlineData(30, "ReportPoc.Processor", true, false)]          // a service that grows
    [InlineData(30, Targets.DevBroker, true, true)]               // the dev broker keeps messages in memory by design
    public void TheSoakMustLastThirtyMinutesWithNoServiceGrowing(double minutes, string process, bool growing, bool met)
    {
        var flat = new Trend(30, 30, 31, 0, false);
        var trend = new ProcessTrend(process, 1, 100, flat, flat, new Trend(100, growing ? 200 : 100, 200, growing ? 50 : 0, growing), 1, []);
        var soak = new SoakResults(DateTimeOffset.UtcNow, "2 cores", "api", minutes, 5, Completion(), false, null,
            [new ProcessTrend("ReportPoc.Api", 2, 100, flat, flat, flat, 1, []), trend]);

        var row = Targets.All(new("b.json", null, Absent), new("a.json", null, Absent), new("p.json", null, Absent), new("s.json", soak, null))
            .Single(row => row.Target.En.Contains("soak", StringComparison.Ordinal));

        Assert.Equal(met, row.Met);
    }

    private static AcceptLevel Level(string endpoint, double perSecond, double p99) =>
        new(1, "hey", endpoint, (long)(perSecond * 10), 0, perSecond, p99 / 2, p99, 0.1, 0.1, false, null);

    private static CompletionResult Completion()
    {
        var latency = new LatencySummary(10, 1, 1, 1, 1, 1);
        return new CompletionResult(4, 0.5, 10, 10, 0, 0, latency, latency, latency);
    }
}
