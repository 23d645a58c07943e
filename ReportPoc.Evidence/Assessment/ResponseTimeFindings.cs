using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Assessment;

/// <summary>
/// Response time compared like with like: both paths at the same offered load (below LP's limit, at it, twice it),
/// acknowledgement with acknowledgement and Completed with Completed. What async buys at LP's real capacity is a faster
/// acknowledgement; the findings say whether that holds, what it costs in time to Completed, and whether the backlog a
/// load above LP's limit leaves drains as fast as LP allows.
/// </summary>
public static class ResponseTimeFindings
{
    public static readonly Text AsksAck = new(
        $"at each offered load (below, at and 2× LP's limit) the async path acknowledges within {Percent(Yardsticks.AsyncAckOverSyncAckP99)} of the sync path's time (p99)",
        $"모든 제공 부하(LP 한도 미만, 한도, 한도의 2배)에서 비동기 경로의 응답(접수 확인) 시간이 동기 경로의 {Percent(Yardsticks.AsyncAckOverSyncAckP99)} 이내 (p99)");

    public static readonly Text AsksCompleted = new(
        $"below LP's limit the async path's time to Completed is within {Ms(Yardsticks.AsyncCompletedSlackMs)} ms of the sync path's (p50)",
        $"LP 한도 미만에서 비동기 경로의 Completed까지 시간이 동기 경로와 {Ms(Yardsticks.AsyncCompletedSlackMs)} ms 이내 차이 (p50)");

    public static readonly Text AsksDrain = new(
        $"after the load at 2× LP's limit every accepted async report completes and the backlog drains within {Number(Yardsticks.DrainOverLpAllows, "F2")}× what LP's limit allows (backlog ÷ limit) + {Number(Yardsticks.DrainSlackSeconds, "F0")} s",
        $"LP 한도의 2배 부하 뒤 접수된 비동기 보고서가 모두 완료되고, 백로그가 LP 한도가 허용하는 시간(백로그 ÷ 한도)의 {Number(Yardsticks.DrainOverLpAllows, "F2")}배 + {Number(Yardsticks.DrainSlackSeconds, "F0")}초 안에 해소");

    public static SameLoadResult? Run(IReadOnlyList<SameLoadResult> runs, string path, string load) =>
        runs.FirstOrDefault(run => run.Path == path && run.Load == load);

    public static Criterion Ack(IReadOnlyList<SameLoadResult> runs, Text missing)
    {
        var pairs = SameLoadLevels.All.Select(level => (level.Load, Sync: Run(runs, BenchmarkResults.Sync, level.Load), Async: Run(runs, BenchmarkResults.Async, level.Load))).ToList();
        if (pairs.Any(pair => pair.Sync is not { Ack.Count: > 0 } || pair.Async is not { Ack.Count: > 0 }))
        {
            return Criterion.Unmeasured(AsksAck, missing);
        }

        var ratios = pairs.Select(pair => (pair.Load, pair.Sync!, pair.Async!, Ratio: pair.Async!.Ack.P99Ms / pair.Sync!.Ack.P99Ms)).ToList();
        return new Criterion(AsksAck,
            new Text(string.Join("; ", ratios.Select(r => $"{r.Load}: {Ms(r.Item3.Ack.P99Ms)} vs {Ms(r.Item2.Ack.P99Ms)} ms = {OneIn(r.Ratio)}")),
                string.Join("; ", ratios.Select(r => $"{LoadKo(r.Load)}: {Ms(r.Item3.Ack.P99Ms)} 대 {Ms(r.Item2.Ack.P99Ms)} ms = {OneIn(r.Ratio)}"))),
            ratios.All(r => r.Ratio <= Yardsticks.AsyncAckOverSyncAckP99));
    }

    public static Criterion Completed(IReadOnlyList<SameLoadResult> runs, Text missing)
    {
        if (Run(runs, BenchmarkResults.Sync, SameLoadLevels.Below) is not { ToCompleted.Count: > 0 } sync
            || Run(runs, BenchmarkResults.Async, SameLoadLevels.Below) is not { ToCompleted.Count: > 0 } async)
        {
            return Criterion.Unmeasured(AsksCompleted, missing);
        }

        var later = async.ToCompleted.P50Ms - sync.ToCompleted.P50Ms;
        return new Criterion(AsksCompleted,
            new Text($"at {Rate(async.OfferedPerSecond)} reports/s: async {Ms(async.ToCompleted.P50Ms)} ms vs sync {Ms(sync.ToCompleted.P50Ms)} ms = {Signed(later)} ms",
                $"초당 {Rate(async.OfferedPerSecond)}건에서 비동기 {Ms(async.ToCompleted.P50Ms)} ms, 동기 {Ms(sync.ToCompleted.P50Ms)} ms = {Signed(later)} ms"),
            later <= Yardsticks.AsyncCompletedSlackMs);
    }

    public static Criterion Drain(IReadOnlyList<SameLoadResult> runs, Text missing)
    {
        if (Run(runs, BenchmarkResults.Async, SameLoadLevels.Above) is not { } above)
        {
            return Criterion.Unmeasured(AsksDrain, missing);
        }

        var allowed = Yardsticks.DrainOverLpAllows * above.ExpectedDrainSeconds + Yardsticks.DrainSlackSeconds;
        var drained = above.DrainSeconds is { } drain ? Seconds(drain) : "not drained";
        return new Criterion(AsksDrain,
            new Text($"{Count(above.Acknowledged)} accepted in {Seconds(above.Seconds)}, {Count(above.Unfinished)} unfinished; backlog {Count(above.BacklogAtLoadEnd)} at the load's end (+{Rate(above.BacklogGrowthPerSecond)}/s), drained in {drained} (LP alone: {Seconds(above.ExpectedDrainSeconds)}, allowed {Seconds(allowed)})",
                $"{Seconds(above.Seconds)} 동안 {Count(above.Acknowledged)}건 접수, 미완료 {Count(above.Unfinished)}건; 부하 종료 시 백로그 {Count(above.BacklogAtLoadEnd)}건(초당 +{Rate(above.BacklogGrowthPerSecond)}건), 해소 {(above.DrainSeconds is { } d ? Seconds(d) : "안 됨")} (LP 한도로 계산하면 {Seconds(above.ExpectedDrainSeconds)}, 허용 {Seconds(allowed)})"),
            above.Unfinished == 0 && above.DrainSeconds is { } seconds && seconds <= allowed);
    }

    public static Text LoadName(string load) => new(load switch
    {
        SameLoadLevels.Below => "below LP's limit",
        SameLoadLevels.At => "at LP's limit",
        _ => "2× LP's limit",
    }, LoadKo(load));

    private static string LoadKo(string load) => load switch
    {
        SameLoadLevels.Below => "LP 한도 미만",
        SameLoadLevels.At => "LP 한도",
        _ => "LP 한도의 2배",
    };

    private static string Signed(double ms) => (ms >= 0 ? "+" : "−") + Ms(Math.Abs(ms));
}
