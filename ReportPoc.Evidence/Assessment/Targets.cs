using ReportPoc.Benchmark.Accept;
using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Benchmark.Pickup;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Soak;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Assessment;

/// <summary>One target of one round (the issue that set it) and whether this run met it; Met is null when not measured in this run.</summary>
public sealed record TargetRow(Text Round, Text Target, Text Measured, bool? Met);

/// <summary>
/// Every performance target of every round, met or missed, computed from this run's inputs: the misses stay in the
/// report beside the hits. A target whose input is absent or refused reads "not measured in this run".
/// </summary>
public static class Targets
{
    private static readonly Text Round1 = new("1 (issue 5)", "1차 (이슈 5)");
    private static readonly Text Round2 = new("2 (issue 13)", "2차 (이슈 13)");
    private static readonly Text Round3 = new("3 (issue 22)", "3차 (이슈 22)");
    private static readonly Text Outcomes = new("outcomes (issue 21)", "결과 전달 (이슈 21)");

    /// <summary>The dev broker keeps every message in memory by design (docs/benchmarks.md): the soak judges the other processes.</summary>
    public const string DevBroker = "ReportPoc.DevBroker";

    public static IReadOnlyList<TargetRow> All(Input<BenchmarkEvidence> benchmark, Input<AcceptResults> accept, Input<PickupResults> pickup, Input<SoakResults> soak,
        Input<OutcomesResults>? outcomes = null) =>
    [
        .. FromBenchmark(benchmark),
        .. FromPickup(pickup),
        .. FromAccept(accept),
        FromSoak(soak),
        .. FromCurve(benchmark),
        .. FromOutcomes(outcomes ?? new Input<OutcomesResults>("", null, new Text("not measured in this run", "이번 실행에서 측정되지 않음"))),
    ];

    /// <summary>Issue 21's targets, met or missed as the outcomes mode itself judged them (OutcomesReport.Targets), worded here in both languages.</summary>
    private static IEnumerable<TargetRow> FromOutcomes(Input<OutcomesResults> input)
    {
        Text Name(OutcomeTarget key) => key switch
        {
            OutcomeTarget.NotificationDelay => new($"notification delay p99 ≤ {Ms(OutcomesReport.NotificationP99TargetMs)} ms at half LP's limit (event stream)",
                $"LP 한도의 절반에서 결과 알림 지연 p99 ≤ {Ms(OutcomesReport.NotificationP99TargetMs)} ms (이벤트 스트림)"),
            OutcomeTarget.OpenStreams => new("every stream asked for (--streams) open at once on one Api instance", "요청한 스트림(--streams) 전부를 Api 인스턴스 하나에 동시에 유지"),
            OutcomeTarget.StreamsLetGo => new("streams the client closed are let go (reopened at once, none refused)", "클라이언트가 닫은 스트림은 해제됨 (곧바로 다시 열어도 거절 0)"),
            OutcomeTarget.RehearsalNothingLost => new("migration rehearsal: lost 0, duplicate LPRUN 0", "전환 리허설: 유실 0, 중복 LPRUN 0"),
            _ => new("migration rehearsal: every answer follows its client's setting within 1 s", "전환 리허설: 모든 응답이 1초 안에 클라이언트 설정을 따름"),
        };

        OutcomeTarget[] keys = [.. Enum.GetValues<OutcomeTarget>()];
        if (input.Value is not { } results)
        {
            var why = Why(input);
            return keys.Select(key => new TargetRow(Outcomes, Name(key), why, null));
        }

        var stream = results.Notification.Stream;
        var rehearsal = results.Rehearsal;
        Text Measured(OutcomeTarget key) => key switch
        {
            OutcomeTarget.NotificationDelay => new($"p99 {Ms(stream.Delay.P99Ms)} ms, p50 {Ms(stream.Delay.P50Ms)} ms ({stream.Followed}/{stream.Reports} received)",
                $"p99 {Ms(stream.Delay.P99Ms)} ms, p50 {Ms(stream.Delay.P50Ms)} ms ({stream.Reports}건 중 {stream.Followed}건 수신)"),
            OutcomeTarget.OpenStreams => new($"{Count(results.Streams.Opened)} of {Count(results.Streams.Streams)} opened", $"{Count(results.Streams.Streams)}개 중 {Count(results.Streams.Opened)}개 열림"),
            OutcomeTarget.StreamsLetGo => new($"{Count(results.Streams.RefusedOnReopen)} refused", $"거절 {Count(results.Streams.RefusedOnReopen)}개"),
            OutcomeTarget.RehearsalNothingLost => new($"lost {rehearsal.Lost}, duplicate LPRUN {rehearsal.DuplicateRunExecutions} ({Count(rehearsal.Accepted)} accepted)",
                $"유실 {rehearsal.Lost}, 중복 LPRUN {rehearsal.DuplicateRunExecutions} (접수 {Count(rehearsal.Accepted)}건)"),
            _ => new($"{rehearsal.OffSetting} of {Count(rehearsal.Requests)} answers off their setting", $"응답 {Count(rehearsal.Requests)}건 중 설정과 다른 응답 {rehearsal.OffSetting}건"),
        };

        var judged = OutcomesReport.Targets(results).ToDictionary(target => target.Key, target => target.Met);
        return keys.Select(key => new TargetRow(Outcomes, Name(key), Measured(key), judged[key]));
    }

    private static IEnumerable<TargetRow> FromBenchmark(Input<BenchmarkEvidence> input)
    {
        var p99 = new Text("async accept p99 ≤ 1/100 of sync p99 at 64 clients (closed loop: unlike work — see the same-load comparison)",
            "동시 접속 64에서 비동기 접수 p99 ≤ 동기 p99의 1/100 (closed loop: 서로 다른 일의 비교 — 같은 부하 비교 참고)");
        var throughput = new Text($"async accept ≥ {Percent(Yardsticks.AsyncOverBaselineThroughput)} of the trivial endpoint's throughput, the benchmark's own tool, 64 clients",
            $"동시 접속 64에서 비동기 접수 처리량 ≥ 기준 엔드포인트의 {Percent(Yardsticks.AsyncOverBaselineThroughput)} (벤치마크 자체 도구)");
        var lp = new Text($"one processor ≥ {Percent(Yardsticks.ProcessorOverLpLimit)} of LP's limit when LP is the bottleneck", $"LP가 병목일 때 Processor 하나가 LP 한도의 {Percent(Yardsticks.ProcessorOverLpLimit)} 이상");
        var two = new Text($"2 instances ≥ {Times(Yardsticks.TwoOverOneInstances)} of 1 with LP's capacity out of the way", $"LP 용량 제약 없이 인스턴스 2개 ≥ 1개의 {Number(Yardsticks.TwoOverOneInstances, "F2")}배");
        var pickupTarget = new Text($"pickup p50 ≤ {Ms(Yardsticks.PickupP50Ms)} ms and p99 ≤ {Ms(Yardsticks.PickupP99Ms)} ms at 50% of LP's limit",
            $"LP 한도의 50%에서 처리 시작까지(pickup) p50 ≤ {Ms(Yardsticks.PickupP50Ms)} ms, p99 ≤ {Ms(Yardsticks.PickupP99Ms)} ms");
        if (input.Value is not { Results: var results })
        {
            var why = Why(input);
            return [new(Round1, p99, why, null), new(Round1, throughput, why, null), new(Round1, lp, why, null), new(Round1, two, why, null), new(Round2, pickupTarget, why, null)];
        }

        var ratios = results.Ratios;
        var notInResults = new Text("not measured in this run: not in the benchmark results", "이번 실행에서 측정되지 않음: 벤치마크 결과에 없음");
        var half = results.Completion.FirstOrDefault(probe => Math.Abs(probe.LoadFraction - 0.5) < 0.01 && probe.Pickup.Count > 0);
        return
        [
            ratios.AsyncP99OverSyncP99 is { } latency
                ? new(Round1, p99, new Text($"{OneIn(latency)} at {ratios.Concurrency} clients", $"동시 접속 {ratios.Concurrency}에서 {OneIn(latency)}"), latency <= Yardsticks.AsyncOverSyncP99)
                : new(Round1, p99, notInResults, null),
            ratios.AsyncOverBaselineThroughput is { } share
                ? new(Round1, throughput, Text.Same(Percent(share)), share >= Yardsticks.AsyncOverBaselineThroughput)
                : new(Round1, throughput, notInResults, null),
            ratios.ProcessorOverLpLimit is { } ofLimit
                ? new(Round1, lp, Text.Same(Percent(ofLimit)), ofLimit >= Yardsticks.ProcessorOverLpLimit)
                : new(Round1, lp, notInResults, null),
            ratios.TwoOverOneInstancesLpUnbounded is { } scale
                ? new(Round1, two, new Text(Times(scale), $"{Number(scale, "F2")}배"), scale >= Yardsticks.TwoOverOneInstances)
                : new(Round1, two, notInResults, null),
            half is null
                ? new(Round2, pickupTarget, notInResults, null)
                : new(Round2, pickupTarget, new Text($"p50 {Ms(half.Pickup.P50Ms)} ms, p99 {Ms(half.Pickup.P99Ms)} ms ({Rate(half.OfferedPerSecond)} reports/s)", $"p50 {Ms(half.Pickup.P50Ms)} ms, p99 {Ms(half.Pickup.P99Ms)} ms (초당 {Rate(half.OfferedPerSecond)}건)"),
                    half.Pickup.P50Ms <= Yardsticks.PickupP50Ms && half.Pickup.P99Ms <= Yardsticks.PickupP99Ms),
        ];
    }

    private static IEnumerable<TargetRow> FromPickup(Input<PickupResults> input)
    {
        var idle = new Text($"an idle processor ≤ {Percent(Yardsticks.IdleCoreShare)} of one core", $"유휴 상태의 Processor CPU ≤ 코어 하나의 {Percent(Yardsticks.IdleCoreShare)}");
        var every = new Text($"every service idle ≤ {Percent(Yardsticks.IdleCoreShare)} of one core", $"유휴 상태에서 모든 서비스 CPU ≤ 코어 하나의 {Percent(Yardsticks.IdleCoreShare)}");
        var lowLoad = new Text($"one report at a time, async accept → Completed within {Ms(Yardsticks.AsyncCompletedSlackMs)} ms of the sync path (p50)",
            $"한 번에 한 건씩 보낼 때 비동기 접수 → Completed가 동기 경로와 {Ms(Yardsticks.AsyncCompletedSlackMs)} ms 이내 (p50)");
        // The configuration ./run.sh uses: local mode's fetch wait (the first measured), or the system as it ran.
        if (input.Value?.Measurements.FirstOrDefault() is not { } measured)
        {
            var why = Why(input);
            return [new(Round2, idle, why, null), new(Round3, every, why, null), new(Round2, lowLoad, why, null)];
        }

        var processor = measured.ProcessorIdleCoreShare;
        var busiest = measured.Idle.OrderByDescending(process => process.CoreShare).FirstOrDefault();
        var later = measured.LowLoadAsync.Latency.P50Ms - measured.LowLoadSync.Latency.P50Ms;
        return
        [
            new(Round2, idle, Text.Same(Percent(processor)), double.IsNaN(processor) ? null : processor <= Yardsticks.IdleCoreShare),
            busiest is null
                ? new(Round3, every, new Text("not measured in this run: no idle processes in the results", "이번 실행에서 측정되지 않음: 결과에 유휴 프로세스가 없음"), null)
                : new(Round3, every, new Text($"busiest: {busiest.Process} {Percent(busiest.CoreShare)}", $"가장 높은 프로세스: {busiest.Process} {Percent(busiest.CoreShare)}"), measured.Idle.All(process => process.CoreShare <= Yardsticks.IdleCoreShare)),
            new(Round2, lowLoad, Text.Same($"{(later >= 0 ? "+" : "−")}{Ms(Math.Abs(later))} ms"), double.IsNaN(later) ? null : later <= Yardsticks.AsyncCompletedSlackMs),
        ];
    }

    private static IEnumerable<TargetRow> FromAccept(Input<AcceptResults> input)
    {
        var throughput = new Text($"async accept ≥ {Percent(Yardsticks.AcceptOverAliveWithHey)} of the same Api's /alive with hey at 64 connections, telemetry on",
            $"hey 64 연결에서 비동기 접수 처리량 ≥ 같은 API의 /alive의 {Percent(Yardsticks.AcceptOverAliveWithHey)} (텔레메트리 켬)");
        var p99 = new Text($"async accept p99 ≤ {Number(Yardsticks.AcceptP99OverAliveWithHey, "F0")}× /alive's with hey", $"hey로 측정한 비동기 접수 p99 ≤ /alive의 {Number(Yardsticks.AcceptP99OverAliveWithHey, "F0")}배");
        // Telemetry as ./run.sh sends it (AcceptMeasurement.AsConfigured): before the trace cap, every trace recorded.
        if (input.Value?.Measurements.FirstOrDefault(measured => measured.AsConfigured && measured.Measured("hey")) is not { } measured)
        {
            var why = input.Value is null ? Why(input) : new Text("not measured in this run: no hey measurement with the telemetry as ./run.sh sends it", "이번 실행에서 측정되지 않음: ./run.sh의 텔레메트리 설정으로 한 hey 측정이 없음");
            return [new(Round2, throughput, why, null), new(Round2, p99, why, null)];
        }

        var share = measured.ThroughputRatio("hey");
        var tail = measured.P99Ratio("hey");
        return
        [
            new(Round2, throughput, Text.Same(share is { } s ? Percent(s) : "–"), share is { } ratio ? ratio >= Yardsticks.AcceptOverAliveWithHey : null),
            new(Round2, p99, new Text(tail is { } t ? Times(t) : "–", tail is { } k ? $"{Number(k, "F2")}배" : "–"), tail is { } value ? value <= Yardsticks.AcceptP99OverAliveWithHey : null),
        ];
    }

    private static TargetRow FromSoak(Input<SoakResults> input)
    {
        var target = new Text($"threads, open files and memory of every service flat over a {Number(Yardsticks.SoakMinutes, "F0")}-minute soak at 50% of LP's limit (the dev broker, in memory by design, shown apart)",
            $"LP 한도의 50%로 {Number(Yardsticks.SoakMinutes, "F0")}분 동안 부하를 줄 때 모든 서비스의 스레드, 열린 파일, 메모리가 일정 (설계상 메모리에 쌓는 개발용 브로커는 별도 표시)");
        if (input.Value is not { } soak)
        {
            return new(Round2, target, Why(input), null);
        }

        var growing = soak.Processes.Where(process => process.Growing && process.Name != DevBroker).Select(process => process.Name).ToList();
        var broker = soak.Processes.FirstOrDefault(process => process.Name == DevBroker);
        var en = $"{Number(soak.Minutes, "F0")} min; growing: {(growing.Count == 0 ? "none" : string.Join(", ", growing))}" + (broker is { Growing: true } ? "; dev broker growing" : "");
        var ko = $"{Number(soak.Minutes, "F0")}분; 증가: {(growing.Count == 0 ? "없음" : string.Join(", ", growing))}" + (broker is { Growing: true } ? "; 개발용 브로커 증가" : "");
        return new(Round2, target, new Text(en, ko), soak.Minutes >= Yardsticks.SoakMinutes && growing.Count == 0 && soak.Processes.Count > 0);
    }

    private static IEnumerable<TargetRow> FromCurve(Input<BenchmarkEvidence> input)
    {
        var ceiling = new Text($"one instance with LP out of the way ≥ {Number(Yardsticks.PerInstanceReportsPerSecond, "F0")} reports/s (the per-instance ceiling)",
            $"LP 제약 없이 인스턴스 하나 ≥ 초당 {Number(Yardsticks.PerInstanceReportsPerSecond, "F0")}건 (인스턴스당 상한)");
        var sizing = new Text($"the sizing's premise, n instances ≈ n × one: efficiency at the most instances measured ≥ {Percent(Yardsticks.SizingEfficiency)}",
            $"산정의 전제(인스턴스 n개 ≈ n × 하나): 측정한 최대 인스턴스 수에서 효율 ≥ {Percent(Yardsticks.SizingEfficiency)}");
        if (input.Value is not { Curve: { } curve })
        {
            var why = input.Value is null ? Why(input) : new Text("not measured in this run: no scale curve in the benchmark results", "이번 실행에서 측정되지 않음: 벤치마크 결과에 확장 곡선 없음");
            return [new(Round3, ceiling, why, null), new(Round3, sizing, why, null)];
        }

        var most = curve.Points[^1];
        return
        [
            new(Round3, ceiling, new Text($"{Rate(curve.OneInstance)} reports/s", $"초당 {Rate(curve.OneInstance)}건"), curve.OneInstance >= Yardsticks.PerInstanceReportsPerSecond),
            new(Round3, sizing, new Text($"{most.Instances} instances: {Rate(most.PerSecond)}/s = {Percent(most.Efficiency)} of {most.Instances} × {Rate(curve.OneInstance)}/s",
                    $"인스턴스 {most.Instances}개: 초당 {Rate(most.PerSecond)}건 = {most.Instances} × {Rate(curve.OneInstance)}건의 {Percent(most.Efficiency)}"),
                most.Efficiency >= Yardsticks.SizingEfficiency),
        ];
    }

    private static Text Why<T>(Input<T> input) where T : class => input.Problem is { } problem && problem.En.StartsWith("not measured", StringComparison.Ordinal)
        ? problem
        : new Text($"not measured in this run: `{input.Path}` {input.Problem?.En}", $"이번 실행에서 측정되지 않음: `{input.Path}` {input.Problem?.Ko}");
}
