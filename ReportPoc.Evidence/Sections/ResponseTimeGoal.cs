using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Results;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using ScottPlot;
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
        if (inputs.Benchmark.Value is not { Results: var results })
        {
            var missing = GoalWriting.Missing(inputs.Benchmark);
            return new GoalAssessment(1, title, new Text("no benchmark results", "벤치마크 결과 없음"),
            [
                Criterion.Unmeasured(new Text("async accept p99 against sync p99 at the same concurrency", "같은 동시성에서 비동기 접수 p99 대 동기 p99"), missing),
                Criterion.Unmeasured(new Text("async accept throughput against the trivial endpoint", "비동기 접수 처리량 대 기준 엔드포인트"), missing),
                tests,
            ]);
        }

        var clients = results.ComparedLevel;
        var sync = results.Level(BenchmarkResults.Sync, clients);
        var async = results.Level(BenchmarkResults.Async, clients);
        var baseline = results.Level(BenchmarkResults.Baseline, clients);
        var notMeasured = new Text($"not in the results at {clients} clients", $"결과에 동시 접속 {clients} 측정이 없음");

        var asksLatency = new Text($"async accept p99 ≤ {OneIn(Yardsticks.AsyncOverSyncP99)} of sync p99 at {clients} clients",
            $"동시 접속 {clients}에서 비동기 접수 p99 ≤ 동기 p99의 {OneIn(Yardsticks.AsyncOverSyncP99)}");
        var latency = sync is null || async is null
            ? Criterion.Unmeasured(asksLatency, notMeasured)
            : new Criterion(asksLatency,
                Disturbed(new Text($"{Ms(async.Latency.P99Ms)} ms vs {Ms(sync.Latency.P99Ms)} ms = {OneIn(async.Latency.P99Ms / sync.Latency.P99Ms)}",
                    $"{Ms(async.Latency.P99Ms)} ms 대 {Ms(sync.Latency.P99Ms)} ms = {OneIn(async.Latency.P99Ms / sync.Latency.P99Ms)}"), sync, async),
                async.Latency.P99Ms / sync.Latency.P99Ms <= Yardsticks.AsyncOverSyncP99);

        var asksThroughput = new Text($"async accept throughput ≥ {Percent(Yardsticks.AsyncOverBaselineThroughput)} of a trivial endpoint of the same Api at {clients} clients",
            $"동시 접속 {clients}에서 비동기 접수 처리량 ≥ 같은 API의 기준 엔드포인트의 {Percent(Yardsticks.AsyncOverBaselineThroughput)}");
        var throughput = async is null || baseline is null
            ? Criterion.Unmeasured(asksThroughput, notMeasured)
            : new Criterion(asksThroughput,
                Disturbed(new Text($"{Rate(async.Throughput)} vs {Rate(baseline.Throughput)} requests/s = {Percent(async.Throughput / baseline.Throughput)}",
                    $"초당 {Rate(async.Throughput)} 대 {Rate(baseline.Throughput)} 요청 = {Percent(async.Throughput / baseline.Throughput)}"), async, baseline),
                async.Throughput / baseline.Throughput >= Yardsticks.AsyncOverBaselineThroughput);

        var headline = sync is null || async is null
            ? new Text($"the results hold no sync and async level at {clients} clients", $"결과에 동시 접속 {clients}의 동기·비동기 측정이 없음")
            : new Text($"at {clients} concurrent clients the async path answers in {Ms(async.Latency.P99Ms)} ms (p99), the sync path in {Ms(sync.Latency.P99Ms)} ms",
                $"동시 접속 {clients}에서 비동기 경로는 {Ms(async.Latency.P99Ms)} ms(p99), 동기 경로는 {Ms(sync.Latency.P99Ms)} ms에 응답");
        return new GoalAssessment(1, title, headline, [latency, throughput, tests]);
    }

    /// <summary>A figure measured while a test run or another system used the same cores says so.</summary>
    private static Text Disturbed(Text measured, params LevelResult[] levels) => levels.Any(level => level.Disturbed)
        ? new Text(measured.En + " (measured beside other load)", measured.Ko + " (다른 부하와 함께 측정됨)")
        : measured;

    public void Write(ReportDocument document)
    {
        document.Heading(2, "3. Verification 1: API response time", "3. 검증 1: API 응답 시간");
        GoalWriting.Verdict(document, Assessment);
        if (inputs.Benchmark.Value is not { Results: var results } || results.Levels.Count == 0)
        {
            document.Paragraph(new Text($"No request-level measurements: {GoalWriting.Reason(inputs.Benchmark).En}.",
                $"요청 단위 측정이 없습니다 ({GoalWriting.Reason(inputs.Benchmark).Ko})."));
            WriteTraces(document);
            return;
        }

        var seconds = Number(results.Levels[0].Seconds, "F0");
        document.Paragraph(
            $"How it was measured: a closed loop — each of N clients sends a request, waits for the answer and sends the next — for {seconds} s per level after a warm-up, "
            + "against the sync path, the async path and a trivial endpoint of the same Api (`GET /api/baseline`, the machine's ceiling for any HTTP answer). "
            + "The async figure is the *accept*: until the `202`, which waits for the broker's acknowledgement (`acks=all`).",
            $"측정 방법: 클라이언트 N개가 각각 요청을 보내고 응답을 받으면 다음 요청을 보내는 closed loop 방식으로, 워밍업 후 단계마다 {seconds} s 동안 측정했습니다. "
            + "대상은 동기 경로, 비동기 경로, 그리고 같은 API의 기준 엔드포인트(`GET /api/baseline`, 이 머신에서 HTTP 응답 하나가 낼 수 있는 상한)입니다. "
            + "비동기 수치는 *접수* 시간, 즉 `202` 응답까지이며 이 응답은 브로커의 확인(`acks=all`)을 기다린 뒤에 나갑니다.");

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
            language => LatencyChart(results, language));

        WriteCompletion(document, results);
        WriteTraces(document);
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

    private static Plot LatencyChart(BenchmarkResults results, Language language)
    {
        var plot = new Plot();
        var levels = results.Levels.Select(level => level.Concurrency).Distinct().Order().ToArray();
        (string Scenario, Color Color, Text Name)[] paths =
        [
            (BenchmarkResults.Sync, ChartStyle.Sync, new("sync", "동기")),
            (BenchmarkResults.Async, ChartStyle.Async, new("async accept", "비동기 접수")),
            (BenchmarkResults.Baseline, ChartStyle.Baseline, new("trivial endpoint", "기준 엔드포인트")),
        ];
        foreach (var (scenario, color, name) in paths)
        {
            var measured = results.Levels.Where(level => level.Scenario == scenario && level.Latency.Count > 0).OrderBy(level => level.Concurrency).ToList();
            if (measured.Count == 0)
            {
                continue;
            }

            var x = measured.Select(level => (double)Array.IndexOf(levels, level.Concurrency)).ToArray();
            var p99 = plot.Add.Scatter(x, measured.Select(level => Math.Log10(level.Latency.P99Ms)).ToArray());
            p99.Color = color;
            p99.LineWidth = 2;
            p99.LegendText = $"{name.In(language)} p99";
            var p50 = plot.Add.Scatter(x, measured.Select(level => Math.Log10(level.Latency.P50Ms)).ToArray());
            p50.Color = color;
            p50.LinePattern = LinePattern.Dashed;
            p50.LegendText = $"{name.In(language)} p50";
        }

        plot.Axes.Bottom.SetTicks(levels.Select((_, i) => (double)i).ToArray(), levels.Select(level => level.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = new Text("concurrent clients (closed loop)", "동시 클라이언트 수 (closed loop)").In(language);
        ChartStyle.LogAxis(plot.Axes.Left, new Text("latency, ms (log scale)", "지연 시간, ms (로그 스케일)").In(language));
        plot.Title(new Text("Response latency: sync vs async accept, same load", "응답 지연 시간: 같은 부하에서 동기 vs 비동기 접수").In(language));
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
