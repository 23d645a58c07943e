using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>Verification 1: the async path answers drastically faster than the sync one, under the same load (the benchmark).</summary>
public sealed class ResponseTimeGoal(EvidenceInputs inputs) : IGoalSection
{
    public GoalAssessment Assessment { get; } = Assess(inputs);

    private static GoalAssessment Assess(EvidenceInputs inputs)
    {
        var title = new Text("API response time", "API 응답 시간");
        var tests = GoalWriting.Tests(inputs.Tests, Guarantees.ResponseTime);
        var missing = inputs.Benchmark.Value is null
            ? GoalWriting.Missing(inputs.Benchmark)
            : new Text("not measured in this run: the benchmark results hold no same-load comparison", "이번 실행에서 측정되지 않음: 벤치마크 결과에 같은 부하 비교가 없음");
        var runs = inputs.Benchmark.Value?.Results.SameLoad ?? [];
        var below = (Sync: ResponseTimeFindings.Run(runs, BenchmarkResults.Sync, SameLoadLevels.Below), Async: ResponseTimeFindings.Run(runs, BenchmarkResults.Async, SameLoadLevels.Below));
        var headline = below is { Sync: { } sync, Async: { } async }
            ? new Text($"at the same {Rate(async.OfferedPerSecond)} reports/s (below LP's limit) the async path acknowledges in {Ms(async.Ack.P50Ms)} ms, the sync path in {Ms(sync.Ack.P50Ms)} ms (p50); both are Completed after {Ms(async.ToCompleted.P50Ms)} and {Ms(sync.ToCompleted.P50Ms)} ms: async buys a faster acknowledgement, not a faster report",
                $"같은 초당 {Rate(async.OfferedPerSecond)}건(LP 한도 미만)에서 비동기 경로는 {Ms(async.Ack.P50Ms)} ms, 동기 경로는 {Ms(sync.Ack.P50Ms)} ms에 응답(p50); Completed까지는 각각 {Ms(async.ToCompleted.P50Ms)} ms와 {Ms(sync.ToCompleted.P50Ms)} ms: 비동기는 빠른 접수 확인을 주지만 보고서를 더 빨리 끝내지는 않음")
            : new Text("no same-load comparison in this run", "이번 실행에 같은 부하 비교 없음");
        return new GoalAssessment(1, title, headline,
        [
            ResponseTimeFindings.Ack(runs, missing),
            ResponseTimeFindings.Completed(runs, missing),
            ResponseTimeFindings.Drain(runs, missing),
            tests,
        ]);
    }

    /// <summary>A figure measured while a test run or another system used the same cores says so.</summary>
    private static Text Disturbed(Text measured, params LevelResult[] levels) => levels.Any(level => level.Disturbed)
        ? new Text(measured.En + " (measured beside other load)", measured.Ko + " (다른 부하와 함께 측정됨)")
        : measured;

    public void Write(ReportDocument document)
    {
        GoalWriting.Opening(document, 3, Assessment, inputs.Run);
        if (inputs.Benchmark.Value is not { Results: var results } || results.Levels.Count == 0)
        {
            document.Paragraph(new Text($"No request-level measurements: {GoalWriting.Reason(inputs.Benchmark).En}.",
                $"요청 단위 측정이 없습니다 ({GoalWriting.Reason(inputs.Benchmark).Ko})."));
            WriteTraces(document);
            return;
        }

        WriteSameLoad(document, results);

        document.Heading(3, "What each path can take (closed loop)", "각 경로가 감당하는 양 (closed loop)");
        var seconds = Number(results.Levels[0].Seconds, "F0");
        document.Paragraph(
            $"How it was measured: a closed loop — each of N clients sends a request, waits for the answer and sends the next — for {seconds} s per level after a warm-up, "
            + "against the sync path, the async path and a trivial endpoint of the same Api (`GET /api/baseline`, the machine's ceiling for any HTTP answer). "
            + "The async figure is the *accept*: until the `202`, which waits for the broker's acknowledgement (`acks=all`). "
            + "This sets the async path's acknowledgement beside the sync path's completion, under loads where the two paths serve very different rates: it shows what each can take, not a verdict (the verdict rests on the same-load comparison above).",
            $"측정 방법: 클라이언트 N개가 각각 요청을 보내고 응답을 받으면 다음 요청을 보내는 closed loop 방식으로, 워밍업 후 단계마다 {seconds} s 동안 측정했습니다. "
            + "대상은 동기 경로, 비동기 경로, 그리고 같은 API의 기준 엔드포인트(`GET /api/baseline`, 이 머신에서 HTTP 응답 하나가 낼 수 있는 상한)입니다. "
            + "비동기 수치는 *접수* 시간, 즉 `202` 응답까지이며 이 응답은 브로커의 확인(`acks=all`)을 기다린 뒤에 나갑니다. "
            + "이 비교는 비동기 경로의 접수 확인과 동기 경로의 완료를, 두 경로가 전혀 다른 속도를 처리하는 부하에서 나란히 놓습니다. 각 경로가 감당하는 양을 보여 줄 뿐 판정의 근거는 아닙니다(판정은 위의 같은 부하 비교에 근거).");

        var levels = results.Levels.Select(level => level.Concurrency).Distinct().Order().ToList();
        document.Table(
            [new("clients", "동시 접속"), new("sync p50 ms", "동기 p50 ms"), new("sync p99 ms", "동기 p99 ms"), new("async p50 ms", "비동기 p50 ms"),
             new("async p99 ms", "비동기 p99 ms"), new("async ÷ sync (p99)", "비동기 ÷ 동기 (p99)"), new("sync req/s", "동기 요청/s"),
             new("async req/s", "비동기 요청/s"), new("baseline req/s", "기준 요청/s"), new("errors", "오류"), new("other load", "다른 부하")],
            levels.Select(clients => LevelRow(results, clients)),
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");

        if (results.LpProfile is { } lp && results.Level(BenchmarkResults.Sync, results.ComparedLevel) is { } sync)
        {
            var clients = results.ComparedLevel;
            document.Paragraph(
                $"Why the sync path is slow: it cannot answer faster than LP works. LP finishes at most {Rate(lp.LimitPerSecond)} reports/s "
                + $"(capacity {lp.Capacity} ÷ LPRUN {lp.LpRunLatencyMs} ms), so N waiting clients each wait about N ÷ {Rate(lp.LimitPerSecond)} s: "
                + $"at {clients} clients {Number(clients / lp.LimitPerSecond)} s expected, {Ms(sync.Latency.P50Ms)} ms measured (p50). Adding server threads or API instances does not change that.",
                $"동기 경로가 느린 이유는 LP가 일하는 속도보다 빨리 응답할 수 없기 때문입니다. LP는 초당 최대 {Rate(lp.LimitPerSecond)}건(용량 {lp.Capacity} ÷ LPRUN {lp.LpRunLatencyMs} ms)을 처리하므로, "
                + $"대기 중인 클라이언트가 N개이면 각자 약 N ÷ {Rate(lp.LimitPerSecond)} s를 기다립니다. 동시 접속 {clients}에서 예상 {Number(clients / lp.LimitPerSecond)} s, 측정값 {Ms(sync.Latency.P50Ms)} ms(p50)입니다. "
                + "서버 스레드나 API 인스턴스를 늘려도 이 수치는 달라지지 않습니다.");
        }

        document.Chart("response-time", new Text("Response latency against concurrent clients: sync vs async accept", "동시 접속 수에 따른 응답 지연: 동기 vs 비동기 접수"),
            language => Charts.Latency(results, language.ForCharts()));

        WriteCompletion(document, results);
        WriteTraces(document);
    }

    private static void WriteSameLoad(ReportDocument document, BenchmarkResults results)
    {
        document.Heading(3, "Both paths at the same offered load", "같은 제공 부하에서 두 경로");
        if (results.SameLoad.Count == 0)
        {
            document.Paragraph("Not measured in this run: the benchmark results hold no same-load comparison.", "이번 실행에서 측정되지 않음: 벤치마크 결과에 같은 부하 비교가 없습니다.");
            return;
        }

        var seconds = Seconds(results.SameLoad[0].Seconds);
        document.Paragraph(
            $"How it was measured: each path was offered the same fixed rate for {seconds} (open loop: a report every 1 ÷ rate seconds whatever happened to the earlier ones) — half LP's limit, LP's limit, and twice it — "
            + "and every report was followed to its end. *Acknowledgement* is the client's answer: the `202` on the async path, the `200` with the final report on the sync path. "
            + "*To Completed* runs from the send to the report's `completedAt` (the async path: its acknowledgement plus the report's own `completedAt − acceptedAt`). "
            + "The *backlog* is the reports submitted and not yet final; *drain* is the time from the load's end to the last report's final state, beside what LP alone allows (backlog ÷ LP's limit).",
            $"측정 방법: 두 경로에 같은 고정 속도를 {seconds} 동안 보냈습니다(open loop: 앞선 보고서와 관계없이 1 ÷ 속도 초마다 한 건). 속도는 LP 한도의 절반, 한도, 한도의 2배입니다. "
            + "모든 보고서를 끝까지 추적했습니다. *응답(접수 확인)*은 클라이언트가 받는 답입니다: 비동기 경로는 `202`, 동기 경로는 최종 보고서와 함께 오는 `200`. "
            + "*Completed까지*는 전송부터 보고서의 `completedAt`까지입니다(비동기: 접수 확인 시간 + 보고서 자체의 `completedAt − acceptedAt`). "
            + "*백로그*는 제출되었으나 아직 최종 상태가 아닌 보고서 수이고, *해소 시간*은 부하가 끝난 뒤 마지막 보고서가 최종 상태가 되기까지의 시간이며 LP 한도만으로 가능한 시간(백로그 ÷ LP 한도)과 나란히 보여 줍니다.");
        document.Table(
            [new("offered load", "제공 부하"), new("path", "경로"), new("sent / acknowledged / Completed", "전송 / 접수 확인 / Completed"), new("errors", "오류"),
             new("ack p50 / p99 ms", "응답 p50 / p99 ms"), new("to Completed p50 / p99 ms", "Completed까지 p50 / p99 ms"),
             new("backlog at load end (peak)", "부하 종료 시 백로그 (최대)"), new("drain", "해소 시간"), new("LP alone", "LP 한도로 계산한 시간"), new("other load", "다른 부하")],
            results.SameLoad.Select(run => (IReadOnlyList<Text>)
            [
                new Text($"{ResponseTimeFindings.LoadName(run.Load).En} ({Rate(run.OfferedPerSecond)}/s)", $"{ResponseTimeFindings.LoadName(run.Load).Ko} (초당 {Rate(run.OfferedPerSecond)}건)"),
                run.Path == BenchmarkResults.Sync ? new Text("sync", "동기") : new Text("async", "비동기"),
                Text.Same($"{Count(run.Sent)} / {Count(run.Acknowledged)} / {Count(run.Completed)}"),
                Text.Same(Count(run.Errors)),
                Text.Same($"{Ms(run.Ack.P50Ms)} / {Ms(run.Ack.P99Ms)}"),
                Text.Same($"{Ms(run.ToCompleted.P50Ms)} / {Ms(run.ToCompleted.P99Ms)}"),
                Text.Same($"{Count(run.BacklogAtLoadEnd)} ({Count(run.PeakBacklog)})"),
                run.DrainSeconds is { } drain ? Text.Same(Seconds(drain)) : new Text($"not drained ({Count(run.Unfinished)} unfinished)", $"해소 안 됨 (미완료 {Count(run.Unfinished)}건)"),
                Text.Same(Seconds(run.ExpectedDrainSeconds)),
                run.Disturbed ? new Text("seen", "있음") : new Text("none seen", "없음"),
            ]),
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        document.Chart("backlog", new Text("Backlog over time at the same offered loads, both paths", "같은 제공 부하에서 시간에 따른 백로그: 두 경로"),
            language => Charts.Backlog(results.SameLoad, language.ForCharts()));
    }

    private static IReadOnlyList<Text> LevelRow(BenchmarkResults results, int clients)
    {
        var sync = results.Level(BenchmarkResults.Sync, clients);
        var async = results.Level(BenchmarkResults.Async, clients);
        var baseline = results.Level(BenchmarkResults.Baseline, clients);
        LevelResult?[] measured = [sync, async, baseline];
        var disturbed = measured.Any(level => level?.Disturbed == true);
        return
        [
            Text.Same(clients.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Text.Same(sync is null ? "–" : Ms(sync.Latency.P50Ms)),
            Text.Same(sync is null ? "–" : Ms(sync.Latency.P99Ms)),
            Text.Same(async is null ? "–" : Ms(async.Latency.P50Ms)),
            Text.Same(async is null ? "–" : Ms(async.Latency.P99Ms)),
            Text.Same(sync is null || async is null ? "–" : OneIn(async.Latency.P99Ms / sync.Latency.P99Ms)),
            Text.Same(sync is null ? "–" : Rate(sync.Throughput)),
            Text.Same(async is null ? "–" : Rate(async.Throughput)),
            Text.Same(baseline is null ? "–" : Rate(baseline.Throughput)),
            Text.Same(Count(measured.Sum(level => level?.Errors ?? 0))),
            disturbed ? new Text("seen", "있음") : new Text("none seen", "없음"),
        ];
    }

    private static void WriteCompletion(ReportDocument document, BenchmarkResults results)
    {
        document.Heading(3, "From accept to Completed", "접수부터 완료까지");
        if (results.Completion.Count == 0)
        {
            document.Paragraph("The results hold no accept → Completed probe.", "결과에 접수 → 완료 측정이 없습니다.");
            return;
        }

        document.Paragraph(
            "Answering at once does not make the work itself faster: the report is Completed after LP's own time. "
            + "Reports were offered at a steady rate below LP's limit (open loop) and each followed through its status URL; the time is the report's own `completedAt − acceptedAt`, "
            + "and *pickup* is the part until a processor started it (`insertedAt − acceptedAt`).",
            "즉시 응답한다고 해서 작업 자체가 빨라지지는 않습니다. 보고서는 LP가 처리하는 시간만큼 지난 뒤 Completed가 됩니다. "
            + "LP 한도보다 낮은 일정한 속도로 보고서를 보내고(open loop) 각각을 상태 URL로 끝까지 추적했습니다. 시간은 보고서 자체의 `completedAt − acceptedAt`이고, "
            + "*pickup*은 그중 Processor가 작업을 시작하기까지의 시간(`insertedAt − acceptedAt`)입니다.");
        document.Table(
            [new("offered reports/s", "보낸 속도 (건/초)"), new("of LP's limit", "LP 한도 대비"), new("completed", "완료"), new("p50 ms", "p50 ms"),
             new("p90 ms", "p90 ms"), new("p99 ms", "p99 ms"), new("pickup p50 ms", "pickup p50 ms"), new("pickup p99 ms", "pickup p99 ms")],
            results.Completion.Select(probe => (IReadOnlyList<Text>)
            [
                Text.Same(Number(probe.OfferedPerSecond)), Text.Same(Percent(probe.LoadFraction)),
                new Text($"{Count(probe.Completed)} of {Count(probe.Submitted)}", $"{Count(probe.Submitted)}건 중 {Count(probe.Completed)}건"),
                Text.Same(Ms(probe.Latency.P50Ms)), Text.Same(Ms(probe.Latency.P90Ms)), Text.Same(Ms(probe.Latency.P99Ms)),
                Text.Same(Ms(probe.Pickup.P50Ms)), Text.Same(Ms(probe.Pickup.P99Ms)),
            ]),
            "|---:|---:|---:|---:|---:|---:|---:|---:|");
        if (results.LpProfile is { } lp)
        {
            document.Paragraph(
                $"LP's own work per report is setQueue {lp.SetQueueLatencyMs} ms + LPRUN {lp.LpRunLatencyMs} ms = {lp.SetQueueLatencyMs + lp.LpRunLatencyMs} ms (with jitter); the rest is pickup and the database writes.",
                $"보고서 한 건에 대한 LP 자체 작업은 setQueue {lp.SetQueueLatencyMs} ms + LPRUN {lp.LpRunLatencyMs} ms = {lp.SetQueueLatencyMs + lp.LpRunLatencyMs} ms(지터 포함)이고, 나머지는 pickup과 DB 쓰기 시간입니다.");
        }
    }

    private void WriteTraces(ReportDocument document)
    {
        document.Heading(3, "What the traces show", "트레이스로 보는 차이");
        document.Paragraph(
            "The Aspire dashboard's traces of one submission each way (default LP profile). Sync: one long API span with the database and LP calls beneath it — the user waits for all of them. "
            + "Async: a short API span and its Kafka publish; the processor's span continues the same trace (W3C context in the message headers) long after the API answered.",
            "Aspire 대시보드에서 각 경로로 한 건씩 제출했을 때의 트레이스입니다(기본 LP 프로필). 동기: 긴 API 스팬 하나 아래에 DB 호출과 LP 호출이 모두 들어 있으며, 사용자는 이 전부를 기다립니다. "
            + "비동기: 짧은 API 스팬과 Kafka 발행 스팬 뒤에, API가 응답한 한참 뒤까지 Processor의 스팬이 같은 트레이스를 이어 갑니다(W3C 컨텍스트를 메시지 헤더로 전달).");
        Screenshot(document, Screenshots.SyncTrace, new Text("The sync trace: the user waits for every step", "동기 트레이스: 사용자가 모든 단계를 기다림"));
        Screenshot(document, Screenshots.AsyncTrace, new Text("The async trace: the API answers at once, the processor continues the same trace", "비동기 트레이스: API는 즉시 응답하고 Processor가 같은 트레이스를 이어 감"));
    }

    private void Screenshot(ReportDocument document, string fileName, Text alt)
    {
        if (inputs.Screenshots.Find(fileName) is { } path)
        {
            document.Image(alt, path);
        }
        else
        {
            var expected = document.Link(Path.Combine(inputs.Screenshots.Directory, fileName));
            document.Paragraph(new Text($"Screenshot missing: `{expected}` (scripts/screenshots.sh makes it).", $"스크린샷 없음: `{expected}` (scripts/screenshots.sh로 생성)."));
        }
    }
}
