using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>
/// The questions after the verdicts, for the lead who must decide: how today's clients move, what production needs at
/// a stated peak, what it costs to run, and what the simpler designs would give and give up. Figures come from this
/// run's inputs; where none exists the text says it is reasoning.
/// </summary>
public sealed class DecisionSection(EvidenceInputs inputs) : IReportSection
{
    private static readonly Text Reasoning = new("*(reasoning, not measured)*", "*(추론, 측정값 아님)*");

    private BenchmarkResults? Results => inputs.Benchmark.Value?.Results;

    /// <summary>Why there is no same-load figure: the benchmark input's problem, or results without the comparison.</summary>
    private Text NoSameLoad => inputs.Benchmark.Value is null
        ? Why(inputs.Benchmark)
        : new Text("the benchmark results hold no same-load comparison", "벤치마크 결과에 같은 부하 비교가 없음");

    public void Write(ReportDocument document)
    {
        document.Heading(2, "8. The decision: migration, sizing, operations, alternatives", "8. 결정을 위한 정리: 전환, 규모 산정, 운영, 대안");
        document.Paragraph(
            "Figures below come from this run's inputs and name the one they come from; a sentence marked *reasoning* is an argument, not a measurement.",
            "아래 수치는 이번 실행의 입력에서 가져왔으며 출처를 밝힙니다. *추론*으로 표시한 문장은 측정이 아니라 논증입니다.");
        WriteMigration(document);
        WriteSizing(document);
        WriteOperations(document);
        WriteAlternatives(document);
    }

    private void WriteMigration(ReportDocument document)
    {
        document.Heading(3, "8.1 Moving today's clients, side by side and with a way back", "8.1 기존 클라이언트의 전환: 병행 운영과 되돌리기");
        document.Bullets(
        [
            new("**Nothing changes for a client on day one.** It is pointed at `POST /api/reports/compat` (same request, same `200` with the final report; a gateway can rewrite the path). Every client starts on `sync`, the as-is path.",
                "**첫날 클라이언트에게 달라지는 것은 없습니다.** 클라이언트를 `POST /api/reports/compat`로 보내기만 합니다(같은 요청, 최종 보고서와 함께 오는 같은 `200`; 게이트웨이에서 경로만 바꿔도 됨). 모든 클라이언트는 현행 경로인 `sync`에서 시작합니다."),
            new("**One client at a time to `bridge`**, with the dashboard command *Clients: set path…*: its report goes through Kafka and the processor, and the request waits, without a thread, for the outcome and answers `200` as before — or `202` with the status URL past `Compatibility:BridgeWait`. A client must accept that `202` before it is moved.",
                "**클라이언트를 하나씩 `bridge`로** 옮깁니다(대시보드 명령 *Clients: set path…*). 보고서는 Kafka와 Processor를 거치고, 요청은 스레드를 잡지 않은 채 결과를 기다렸다가 예전처럼 `200`으로 응답합니다. `Compatibility:BridgeWait`를 넘기면 상태 URL과 함께 `202`로 응답하므로, 옮기기 전에 클라이언트가 `202`를 처리할 수 있어야 합니다."),
            new("**Then to `async`**: `202` at once, and the outcome is pushed on the status URL's event stream (`GET /api/reports/{id}/events`, Server-Sent Events), so users learn it without polling; a client that cannot hold a stream polls the status URL.",
                "**그다음 `async`로**: 즉시 `202`를 받고, 결과는 상태 URL의 이벤트 스트림(`GET /api/reports/{id}/events`, Server-Sent Events)으로 전달되므로 사용자는 폴링 없이 결과를 알게 됩니다. 스트림을 유지할 수 없는 클라이언트는 상태 URL을 폴링합니다."),
            new("**The way back is the same command.** A request is served on the path chosen when it arrived, and its Idempotency-Key gives a report the same id on every path, so a switch moves no request in flight and a retry after a switch names the same report.",
                "**되돌리기도 같은 명령입니다.** 요청은 도착했을 때 정해진 경로로 처리되고, Idempotency-Key가 모든 경로에서 같은 보고서 ID를 주므로, 경로를 바꿔도 처리 중인 요청은 옮겨지지 않으며 전환 후 재시도는 같은 보고서를 가리킵니다."),
            BridgeFigure(),
            OutcomesFigure(),
            new($"The tests behind this: {TestsOf("CompatibilityTests").En}.", $"근거 테스트: {TestsOf("CompatibilityTests").Ko}."),
        ]);
    }

    /// <summary>What a bridged client sees at the measured loads: the sync path's time below LP's limit, a 202 once the backlog outgrows the wait.</summary>
    private Text BridgeFigure()
    {
        var runs = Results?.SameLoad ?? [];
        if (ResponseTimeFindings.Run(runs, BenchmarkResults.Async, SameLoadLevels.Below) is not { } below || Results?.LpProfile is not { } lp)
        {
            return new Text($"What a bridged client waits: its report's time to Completed on the async path; not measured in this run ({NoSameLoad.En}). {Reasoning.En}",
                $"bridge 클라이언트가 기다리는 시간은 비동기 경로에서 보고서가 Completed가 되기까지의 시간입니다. 이번 실행에서 측정되지 않음 ({NoSameLoad.Ko}). {Reasoning.Ko}");
        }

        var above = ResponseTimeFindings.Run(runs, BenchmarkResults.Async, SameLoadLevels.Above);
        return new Text(
            $"**What a bridged client waits** is its report's time to Completed on the async path: {Ms(below.ToCompleted.P50Ms)} ms (p50) at {Rate(below.OfferedPerSecond)} reports/s, below LP's limit"
            + (above is null ? "." : $"; at twice LP's limit the backlog grows by {Rate(above.BacklogGrowthPerSecond)} reports/s and time to Completed reaches {Ms(above.ToCompleted.P99Ms)} ms (p99), so bridged clients then get `202` once a report waits longer than the bridge wait.")
            + $" LP finishes {Rate(lp.LimitPerSecond)} reports/s: a backlog of more than the bridge wait × {Rate(lp.LimitPerSecond)} reports turns bridged answers into `202`.",
            $"**bridge 클라이언트가 기다리는 시간**은 비동기 경로에서 보고서가 Completed가 되기까지의 시간입니다: LP 한도 미만인 초당 {Rate(below.OfferedPerSecond)}건에서 {Ms(below.ToCompleted.P50Ms)} ms(p50)"
            + (above is null ? "." : $". LP 한도의 2배에서는 백로그가 초당 {Rate(above.BacklogGrowthPerSecond)}건씩 늘고 Completed까지 {Ms(above.ToCompleted.P99Ms)} ms(p99)가 걸리므로, 보고서 대기가 bridge 대기 시간을 넘으면 bridge 클라이언트는 `202`를 받습니다.")
            + $" LP는 초당 {Rate(lp.LimitPerSecond)}건을 처리하므로, 백로그가 bridge 대기 시간 × {Rate(lp.LimitPerSecond)}건을 넘으면 bridge 응답은 `202`가 됩니다.");
    }

    /// <summary>The outcomes mode's measurements: how soon users learn the outcome, the bridge against the as-is path, and the rehearsal of the steps above.</summary>
    private Text OutcomesFigure()
    {
        if (inputs.Outcomes.Value is not { } outcomes)
        {
            return new Text($"The rehearsal of these steps under load, the bridge against the as-is path and the notification delay: not measured in this run ({Why(inputs.Outcomes).En}).",
                $"부하 중 위 단계의 리허설, bridge와 현행 경로의 비교, 결과 알림 지연: 이번 실행에서 측정되지 않음 ({Why(inputs.Outcomes).Ko}).");
        }

        var stream = outcomes.Notification.Stream;
        var polling = outcomes.Notification.Polling;
        var r = outcomes.Rehearsal;
        string Compat(string path, double load, Func<CompatCondition, string> figure) =>
            outcomes.Compat.FirstOrDefault(c => c.Path == path && Math.Abs(c.LoadFraction - load) < 0.01) is { } c ? figure(c) : "–";
        string Share(CompatCondition c) => Percent(c.ShareWithinLimit);
        string P99(CompatCondition c) => Ms(c.AnswerTime.P99Ms);
        var wait = Seconds(outcomes.BridgeWaitSeconds);
        return new Text(
            $"**Measured in this run (`--outcomes`).** Users learn the outcome on the event stream {Ms(stream.Delay.P50Ms)} ms (p50) / {Ms(stream.Delay.P99Ms)} ms (p99) after it is committed, with one request per report; "
            + $"polling once a second learns it {Ms(polling.Delay.P50Ms)} / {Ms(polling.Delay.P99Ms)} ms later with {Number(polling.RequestsPerReport, "F1")} status reads per report. "
            + $"At the same offered load the bridge answered `200` within its {wait} wait for {Compat("bridge", 0.5, Share)} of requests below LP's limit (as-is: {Compat("sync", 0.5, Share)}) and {Compat("bridge", 2.0, Share)} at twice it (as-is: {Compat("sync", 2.0, Share)}); "
            + $"answer p99 {Compat("bridge", 2.0, P99)} ms vs {Compat("sync", 2.0, P99)} ms at twice the limit. "
            + $"The rehearsal moved {r.Switches.Count} times between paths ({r.Clients} clients under load, one moved back): {Count(r.Accepted)} reports accepted, lost {r.Lost}, duplicate LPRUN {r.DuplicateRunExecutions}, "
            + $"{r.OffSetting} answers off their client's setting. {Count(outcomes.Streams.Opened)} streams held open on one Api instance cost {Number(outcomes.Streams.MbPerStream * 1024, "F0")} KB each.",
            $"**이번 실행에서 측정 (`--outcomes`).** 사용자는 결과가 커밋된 뒤 이벤트 스트림으로 {Ms(stream.Delay.P50Ms)} ms(p50) / {Ms(stream.Delay.P99Ms)} ms(p99) 만에 결과를 알며, 보고서당 요청은 1건입니다. "
            + $"1초마다 폴링하면 {Ms(polling.Delay.P50Ms)} / {Ms(polling.Delay.P99Ms)} ms 뒤에 알고 보고서당 상태 조회가 {Number(polling.RequestsPerReport, "F1")}건입니다. "
            + $"같은 부하에서 bridge는 LP 한도 미만일 때 요청의 {Compat("bridge", 0.5, Share)}에 {wait} 대기 안에 `200`으로 응답했고(현행: {Compat("sync", 0.5, Share)}), 한도의 2배에서는 {Compat("bridge", 2.0, Share)}였습니다(현행: {Compat("sync", 2.0, Share)}). "
            + $"한도의 2배에서 응답 p99는 {Compat("bridge", 2.0, P99)} ms 대 {Compat("sync", 2.0, P99)} ms입니다. "
            + $"리허설에서는 부하 중 클라이언트 {r.Clients}개의 경로를 {r.Switches.Count}번 바꾸고 하나는 되돌렸습니다: 접수 {Count(r.Accepted)}건, 유실 {r.Lost}, 중복 LPRUN {r.DuplicateRunExecutions}, "
            + $"클라이언트 설정과 다른 응답 {r.OffSetting}건. Api 인스턴스 하나에 유지한 스트림 {Count(outcomes.Streams.Opened)}개는 하나당 {Number(outcomes.Streams.MbPerStream * 1024, "F0")} KB를 썼습니다.");
    }

    private void WriteSizing(ReportDocument document)
    {
        document.Heading(3, "8.2 Production sizing for a stated peak", "8.2 명시한 최대 부하에 맞춘 운영 규모 산정");
        if (inputs.Benchmark.Value is not { Curve: { } curve, Results: var results })
        {
            document.Paragraph(
                $"Not computed: no scale curve in this run ({Why(inputs.Benchmark).En}). The rules: partitions ≥ max(instances, peak ÷ one instance's ceiling); LP must run peak × LPRUN latency reports at once; retention ≥ the longest outage to survive. {Reasoning.En}",
                $"계산하지 않음: 이번 실행에 확장 곡선이 없음 ({Why(inputs.Benchmark).Ko}). 규칙: 파티션 수 ≥ max(인스턴스 수, 최대 부하 ÷ 인스턴스 하나의 상한); LP는 최대 부하 × LPRUN 지연 시간만큼 동시에 실행해야 함; 보존 기간 ≥ 견뎌야 할 가장 긴 장애. {Reasoning.Ko}");
            return;
        }

        var peak = curve.TargetRate;
        var lpRunMs = results.Processor.FirstOrDefault(run => !run.LpBound)?.LpRunLatencyMs ?? results.LpProfile?.LpRunLatencyMs ?? 0;
        var lpSlots = Math.Ceiling(peak * lpRunMs / 1000.0);
        var efficiency = curve.Points[^1].Efficiency;
        var instances = (int)Math.Ceiling(peak / (curve.OneInstance * Math.Min(1, efficiency)));
        // An instance beyond the partition count owns none: the partitions are at least the instances.
        var partitions = Math.Max(curve.PartitionsForTarget, instances);
        var messageBytes = ReportPocClient.SubmissionJson.Length;
        document.Paragraph(
            $"The stated peak: **{Rate(peak)} reports/s** (the benchmark's `--target-rate`; replace it with the real one). From this run's scale curve (one instance {Rate(curve.OneInstance)} reports/s with LP out of the way, {Percent(efficiency)} efficiency at {curve.Points[^1].Instances} instances):",
            $"명시한 최대 부하: **초당 {Rate(peak)}건** (벤치마크의 `--target-rate`; 실제 값으로 바꿔야 함). 이번 실행의 확장 곡선에 따르면(LP 제약 없이 인스턴스 하나 초당 {Rate(curve.OneInstance)}건, 인스턴스 {curve.Points[^1].Instances}개에서 효율 {Percent(efficiency)}):");
        document.Table(
            [new("", ""), new("for the peak", "최대 부하에 필요한 값"), new("how", "근거")],
            [
                [new("partitions of `reports.submitted`", "`reports.submitted` 파티션 수"), Text.Same($"**{partitions}**"),
                    new($"max(the benchmark's {curve.PartitionsForTarget} = max({curve.Consumers} consumers, {Rate(peak)} ÷ {Rate(curve.OneInstance)}), the instances below): an instance beyond the partitions owns none; partitions cannot be reduced later and adding them moves keys: size for the coming years",
                        $"max(벤치마크의 {curve.PartitionsForTarget} = max(Processor {curve.Consumers}개, {Rate(peak)} ÷ {Rate(curve.OneInstance)}), 아래 인스턴스 수): 파티션보다 많은 인스턴스는 파티션을 받지 못함; 파티션은 나중에 줄일 수 없고 늘리면 키 배치가 바뀌므로 앞으로 몇 년을 기준으로 정함")],
                [new("processor instances", "Processor 인스턴스 수"), new Text($"**{instances}** (+1 for a kill or a deploy)", $"**{instances}** (강제 종료나 배포에 대비해 +1)"),
                    new($"peak ÷ (one instance × efficiency) = {Rate(peak)} ÷ ({Rate(curve.OneInstance)} × {Percent(Math.Min(1, efficiency))}); the per-instance ceiling sets this: half the ceiling doubles the instances, and the partitions with them",
                        $"최대 부하 ÷ (인스턴스 하나 × 효율) = {Rate(peak)} ÷ ({Rate(curve.OneInstance)} × {Percent(Math.Min(1, efficiency))}); 인스턴스당 상한이 이 값을 정함: 상한이 절반이면 인스턴스도 파티션도 두 배")],
                [new("LP's concurrent runs", "LP 동시 실행 수"), Text.Same($"**{Number(lpSlots, "F0")}**"),
                    new($"peak × LPRUN {Count(lpRunMs)} ms; below that LP stays the ceiling whatever the instances (the LP-bound finding of section 5)",
                        $"최대 부하 × LPRUN {Count(lpRunMs)} ms; 이보다 작으면 인스턴스 수와 관계없이 LP가 상한 (5절의 LP 병목 결과)")],
                [new("brokers and settings", "브로커와 설정"), new($"3 brokers, replication factor 3, `min.insync.replicas=2`, producers `acks=all` with idempotence {Reasoning.En}", $"브로커 3대, 복제 계수 3, `min.insync.replicas=2`, 프로듀서는 `acks=all`과 멱등 모드 {Reasoning.Ko}"),
                    new("the smallest cluster that keeps accepting, with every acknowledged report on two brokers, while one is down or restarted", "브로커 하나가 중단·재시작되는 동안에도 접수를 계속하고, 확인된 모든 보고서를 브로커 두 대에 두는 가장 작은 구성")],
                [new("retention", "보존 기간"), new($"≥ the longest outage to survive: at the peak an hour of LP outage queues {Count((long)(peak * 3600))} reports (≈ {Megabytes(peak * 3600 * messageBytes / 1e6)} of {Count(messageBytes)}-byte bodies before replication)",
                        $"≥ 견뎌야 할 가장 긴 장애: 최대 부하에서 LP 장애 1시간이면 보고서 {Count((long)(peak * 3600))}건이 쌓임 (본문 {Count(messageBytes)}바이트로 계산하면 복제 전 약 {Megabytes(peak * 3600 * messageBytes / 1e6)})"),
                    new("the backlog then drains at LP's limit minus the incoming rate: LP needs headroom above the peak or the backlog never shrinks", "이후 백로그는 LP 한도에서 유입 속도를 뺀 속도로 줄어듦: LP에 최대 부하 이상의 여유가 없으면 백로그는 줄지 않음")],
            ]);
        if (curve.OneInstance < Yardsticks.PerInstanceReportsPerSecond)
        {
            document.Paragraph(
                $"**The per-instance ceiling is the figure to check first.** One instance completed {Rate(curve.OneInstance)} reports/s here, below round 3's {Number(Yardsticks.PerInstanceReportsPerSecond, "F0")}/s (section 6): on the production machines measure it again before fixing the partition count.",
                $"**가장 먼저 확인할 수치는 인스턴스당 상한입니다.** 여기서 인스턴스 하나는 초당 {Rate(curve.OneInstance)}건을 처리해 3차 목표인 초당 {Number(Yardsticks.PerInstanceReportsPerSecond, "F0")}건에 못 미쳤습니다(6절). 파티션 수를 정하기 전에 운영 장비에서 다시 측정해야 합니다.");
        }
    }

    private void WriteOperations(ReportDocument document)
    {
        document.Heading(3, "8.3 Running it: dashboards, alerts, dead letters, on-call", "8.3 운영: 대시보드, 알림, 데드레터, 당직");
        var ackP99 = ResponseTimeFindings.Run(Results?.SameLoad ?? [], BenchmarkResults.Async, SameLoadLevels.At)?.Ack.P99Ms;
        var ackThreshold = ackP99 is { } measured && !double.IsNaN(measured)
            ? new Text($"p99 > {Ms(Math.Max(5 * measured, 100))} ms for 5 min (5× this run's {Ms(measured)} ms at LP's limit, at least 100 ms)", $"p99 > {Ms(Math.Max(5 * measured, 100))} ms가 5분 지속 (이번 실행의 LP 한도 부하 {Ms(measured)} ms의 5배, 최소 100 ms)")
            : new Text($"p99 > 100 ms for 5 min {Reasoning.En}", $"p99 > 100 ms가 5분 지속 {Reasoning.Ko}");
        var lpLimit = Results?.LpProfile?.LimitPerSecond;
        var lagThreshold = lpLimit is { } limit
            ? new Text($"> {Count((long)(limit * 600))} messages (10 minutes of LP's {Rate(limit)}/s) or growing for 15 min", $"> {Count((long)(limit * 600))}건 (LP 한도 초당 {Rate(limit)}건의 10분 분량) 또는 15분 동안 계속 증가")
            : new Text($"> 10 minutes of LP's limit, or growing for 15 min {Reasoning.En}", $"> LP 한도의 10분 분량 또는 15분 동안 계속 증가 {Reasoning.Ko}");
        document.Paragraph(
            "The services already export these metrics (OpenTelemetry, shown in the Aspire dashboard here; in production sent to the team's own metrics store). Thresholds are starting points to tune; the first column is the metric's name in the code.",
            "서비스는 이미 아래 지표를 내보냅니다(OpenTelemetry; 여기서는 Aspire 대시보드에 표시되고, 운영에서는 팀의 지표 저장소로 보냄). 임계값은 조정을 위한 출발점이며, 첫 열은 코드에 있는 지표 이름입니다.");
        document.Table(
            [new("metric", "지표"), new("alert when", "알림 조건"), new("means", "의미"), new("who, when", "담당, 시점")],
            [
                [Text.Same("`reports.accept.duration` (path = async)"), ackThreshold, new("the accept path is slow: the broker or the Api's cores", "접수 경로가 느림: 브로커 또는 API의 CPU"), new("on-call, at once", "당직, 즉시")],
                [Text.Same("`reports.api.broker_log_refused`"), new("> 0", "> 0"), new("the Api refuses submissions: the broker's log for a partition is full", "API가 제출을 거부: 파티션의 브로커 로그가 가득 참"), new("on-call, at once", "당직, 즉시")],
                [Text.Same("`messaging.kafka.consumer.lag`"), lagThreshold, new("reports wait longer than users were promised", "보고서가 약속한 시간보다 오래 대기"), new("on-call in working hours; at night only past the promised completion time", "근무 시간에는 당직; 야간에는 약속한 완료 시간을 넘을 때만")],
                [Text.Same("`reports.processor.paused`"), new("= 1 for 10 min (dependency = lp or database)", "= 1이 10분 지속 (dependency = lp 또는 database)"), new("LP or the database is down; nothing is lost, reports wait in Kafka", "LP 또는 DB 장애; 유실은 없고 보고서는 Kafka에서 대기"), new("LP's or the database's owners", "LP 또는 DB 담당 팀")],
                [Text.Same("`reports.processor.stuck`"), new("> 0 for 5 min", "> 0이 5분 지속"), new("a report in flight longer than `Processing:StuckAfter`", "`Processing:StuckAfter`보다 오래 처리 중인 보고서"), new("on-call in working hours", "근무 시간 당직")],
                [Text.Same("`reports.dead_lettered`"), new("> 0", "> 0"), new("a report ended `Failed` (LP refused it) or a message was poison; it is on `reports.submitted.dlq`", "보고서가 `Failed`로 끝남(LP 거부) 또는 처리 불가 메시지; `reports.submitted.dlq`에 있음"), new("the owning team, next working day", "담당 팀, 다음 근무일")],
                [Text.Same("`reports.failed` ÷ `reports.completed`"), new("> 1% over an hour", "1시간 동안 1% 초과"), new("LP refuses more than usual: a change on LP's side or in the reports", "LP 거부가 평소보다 많음: LP 쪽 변경 또는 보고서 내용 문제"), new("the owning team", "담당 팀")],
            ]);
        document.Bullets(
        [
            new("**Dead letters** are owned by one team: each is read from `reports.submitted.dlq` (its header names the reason: LP's refusal, `poison`, `idempotency-conflict`), then replayed with the same Idempotency-Key after a fix, or closed; the report's status already says `Failed` to its user.",
                "**데드레터**는 한 팀이 책임집니다. `reports.submitted.dlq`에서 건마다 읽고(헤더에 사유: LP 거부, `poison`, `idempotency-conflict`), 원인을 고친 뒤 같은 Idempotency-Key로 재처리하거나 종결합니다. 사용자에게는 보고서 상태가 이미 `Failed`로 보입니다."),
            new("**Who is woken at night:** only for the accept path (the first two rows), which users meet directly. LP or database outages pause the processors without loss (section 4) and wait for working hours unless the backlog passes the promised completion time.",
                "**야간에 누구를 깨우는가:** 사용자가 직접 겪는 접수 경로(위 표의 처음 두 행)뿐입니다. LP나 DB 장애는 유실 없이 Processor를 일시 정지시키므로(4절), 백로그가 약속한 완료 시간을 넘지 않는 한 근무 시간까지 기다립니다."),
            new($"**What it costs** beyond today's server: a Kafka cluster (three brokers, or a managed service), the processor instances of 8.2, and the telemetry pipeline. {TelemetryCost().En}",
                $"**비용**: 현재 서버에 더해 Kafka 클러스터(브로커 3대 또는 매니지드 서비스), 8.2의 Processor 인스턴스, 텔레메트리 파이프라인이 필요합니다. {TelemetryCost().Ko}"),
        ]);
    }

    private Text TelemetryCost()
    {
        if (inputs.Accept.Value?.Measurements.FirstOrDefault(measured => measured.AsConfigured) is not { } accept)
        {
            return new Text($"The telemetry's own cost is not measured in this run. {Reasoning.En}", $"텔레메트리 자체의 비용은 이번 실행에서 측정되지 않았습니다. {Reasoning.Ko}");
        }

        var api = accept.MedianOf("hey", "async", level => level.ApiCpuMsPerAnswer);
        var dashboard = accept.MedianOf("hey", "async", level => level.DashboardCpuMsPerAnswer);
        return new Text($"Per accepted report the Api spent {Number(api, "F3")} ms of CPU and the dashboard receiving its telemetry {Number(dashboard, "F3")} ms (accept run, telemetry as ./run.sh sends it): the telemetry's receiver needs cores of its own.",
            $"접수 한 건당 API는 CPU {Number(api, "F3")} ms, 텔레메트리를 받는 대시보드는 {Number(dashboard, "F3")} ms를 썼습니다(accept 측정, ./run.sh의 텔레메트리 설정): 텔레메트리 수신 측에 별도의 코어가 필요합니다.");
    }

    private void WriteAlternatives(ReportDocument document)
    {
        document.Heading(3, "8.4 Would a simpler design do?", "8.4 더 단순한 설계로 충분한가?");
        document.Table(
            [new("", ""), new("async I/O in today's server", "현재 서버에 비동기 I/O 적용"), new("a PostgreSQL job table, same workers", "PostgreSQL 작업 테이블 + 같은 워커"), new("Kafka (this PoC)", "Kafka (이 PoC)")],
            [
                [new("a slow submission slows other requests", "느린 제출이 다른 요청을 느리게 함"), Collateral(CollateralRun.SyncPath), new($"no: the request only inserts a row {Reasoning.En}", $"아니오: 요청은 행 하나만 삽입 {Reasoning.Ko}"), Collateral(CollateralRun.AsyncPath)],
                [new("acknowledgement at LP's limit", "LP 한도에서의 응답 시간"), AckAt(BenchmarkResults.Sync), new($"as the async path: an insert instead of a publish {Reasoning.En}", $"비동기 경로와 비슷: 발행 대신 삽입 {Reasoning.Ko}"), AckAt(BenchmarkResults.Async)],
                [new("LP down", "LP 장애"), new("the user's request fails (`503`; FaultIsolationTests)", "사용자 요청이 실패 (`503`; FaultIsolationTests)"), new($"accepted, waits in the table {Reasoning.En}", $"접수되고 테이블에서 대기 {Reasoning.Ko}"), new("accepted, waits in Kafka (section 4)", "접수되고 Kafka에서 대기 (4절)")],
                [new("database down", "DB 장애"), new("the request fails (`503`)", "요청 실패 (`503`)"), new($"**nothing is accepted**: the queue is the database {Reasoning.En}", $"**접수 불가**: 큐가 곧 DB임 {Reasoning.Ko}"), DatabaseOutage()],
                [new("throughput", "처리량"), new("LP's limit", "LP 한도"), new($"LP's limit; workers poll or `LISTEN` and claim rows with `FOR UPDATE SKIP LOCKED`; the table's write and vacuum load grows with the rate (not measured here) {Reasoning.En}", $"LP 한도; 워커는 폴링 또는 `LISTEN` 후 `FOR UPDATE SKIP LOCKED`로 행을 선점; 처리량에 따라 테이블 쓰기와 vacuum 부하 증가 (여기서 측정 안 함) {Reasoning.Ko}"), new("LP's limit (section 5); the accept path well beyond it", "LP 한도 (5절); 접수 경로는 그보다 훨씬 높음")],
                [new("new things to run", "새로 운영할 것"), new("none", "없음"), new("a table, its workers and their claim and retry logic", "테이블, 워커, 선점·재시도 로직"), new("a Kafka cluster, partitions, consumer groups, a dead-letter topic", "Kafka 클러스터, 파티션, 컨슈머 그룹, 데드레터 토픽")],
                [new("gives up", "포기하는 것"), new("fast acknowledgement and fault isolation: the user still waits for LP", "빠른 응답과 장애 격리: 사용자는 여전히 LP를 기다림"), new($"accepting while the database is down, and a replayable log apart from the database {Reasoning.En}", $"DB 장애 중 접수, DB와 분리된 재처리 가능한 로그 {Reasoning.Ko}"), new("simplicity: one more system to run and to learn", "단순함: 운영하고 익혀야 할 시스템이 하나 늘어남")],
            ],
            "|---|---|---|---|");
        document.Paragraph(
            "Reading: async I/O alone removes the collateral damage of a thread-per-request server but not the wait; a job table gives the wait's removal and LP isolation with fewer moving parts, and gives up accepting during a database outage; Kafka adds that, at the price of a cluster to run. With LP at its real capacity none of them raises throughput: what the change buys is a fast acknowledgement and isolation, not more reports per second. *(reasoning from the rows above)*",
            "해석: 비동기 I/O만으로는 thread-per-request 서버의 부수 피해는 없어지지만 대기 시간은 그대로입니다. 작업 테이블은 더 적은 구성 요소로 대기 제거와 LP 격리를 주지만 DB 장애 중 접수를 포기합니다. Kafka는 여기에 그것까지 더하지만 운영할 클러스터가 늘어납니다. LP가 실제 용량 그대로라면 어느 쪽도 처리량을 늘리지 않습니다. 이 전환으로 얻는 것은 초당 처리 건수가 아니라 빠른 응답과 장애 격리입니다. *(위 표에서 도출한 추론)*");
    }

    /// <summary>A status read's p99 under a path's load against idle, from the collateral run.</summary>
    private Text Collateral(string condition)
    {
        if (inputs.Collateral.Value is not { } collateral)
        {
            return new Text($"not measured in this run ({Why(inputs.Collateral).En})", $"이번 실행에서 측정되지 않음 ({Why(inputs.Collateral).Ko})");
        }

        var idle = collateral.Probe(CollateralRun.Idle, CollateralRun.StatusRead)?.Latency.P99Ms;
        var under = collateral.Probe(condition, CollateralRun.StatusRead)?.Latency.P99Ms;
        // The emulated server's read against its own idle read, as section 7 compares them.
        var asIs = condition == CollateralRun.SyncPath ? collateral.Probe(CollateralRun.AsIsEmulation, CollateralRun.AsIsStatusRead)?.Latency.P99Ms : null;
        var asIsIdle = collateral.Probe(CollateralRun.Idle, CollateralRun.AsIsStatusRead)?.Latency.P99Ms;
        if (idle is not { } calm || under is not { } loaded)
        {
            return new Text("not measured in this run (the collateral results lack it)", "이번 실행에서 측정되지 않음 (부수 피해 결과에 없음)");
        }

        var en = $"status read p99 {Ms(loaded)} ms vs idle {Ms(calm)} ms ({Times(loaded / calm)})";
        var ko = $"상태 조회 p99 {Ms(loaded)} ms, 유휴 시 {Ms(calm)} ms ({Number(loaded / calm, "F2")}배)";
        return (asIs, asIsIdle) is ({ } emulated, { } emulatedIdle)
            ? new Text($"{en}; a thread-per-request server (the as-is emulation): {Ms(emulated)} ms vs its idle {Ms(emulatedIdle)} ms ({Times(emulated / emulatedIdle)})",
                $"{ko}; thread-per-request 서버(현행 모사): {Ms(emulated)} ms, 유휴 시 {Ms(emulatedIdle)} ms ({Number(emulated / emulatedIdle, "F2")}배)")
            : new Text(en, ko);
    }

    private Text AckAt(string path)
    {
        if (ResponseTimeFindings.Run(Results?.SameLoad ?? [], path, SameLoadLevels.At) is not { Ack: { Count: > 0 } ack })
        {
            return new Text($"not measured in this run ({NoSameLoad.En})", $"이번 실행에서 측정되지 않음 ({NoSameLoad.Ko})");
        }

        return Text.Same($"p50 {Ms(ack.P50Ms)} / p99 {Ms(ack.P99Ms)} ms");
    }

    private Text DatabaseOutage()
    {
        if (inputs.Chaos.Value?.Api.Of(DrillPhase.DatabaseOutage) is not { } phase)
        {
            return new Text("accepted, waits in Kafka (DatabaseOutageTests)", "접수되고 Kafka에서 대기 (DatabaseOutageTests)");
        }

        return new Text($"accepted, waits in Kafka: the drill's Api answered {Count(phase.Requests - phase.Errors)} of {Count(phase.Requests)} requests during the outage (p99 {Ms(phase.P99Ms)} ms)",
            $"접수되고 Kafka에서 대기: 드릴의 DB 장애 중 API가 요청 {Count(phase.Requests)}건 중 {Count(phase.Requests - phase.Errors)}건에 정상 응답 (p99 {Ms(phase.P99Ms)} ms)");
    }

    private Text TestsOf(string testClass)
    {
        if (inputs.Tests.Value is not { } run)
        {
            return new Text($"`{testClass}`, not measured in this run ({Why(inputs.Tests).En})", $"`{testClass}`, 이번 실행에서 측정되지 않음 ({Why(inputs.Tests).Ko})");
        }

        var results = run.Named(testClass).ToList();
        var passed = results.Sum(result => result.Passed);
        var failed = results.Sum(result => result.Failed);
        return results.Count == 0 || passed + failed == 0
            ? new Text($"`{testClass}` not in the run", $"`{testClass}`가 실행 결과에 없음")
            : new Text($"`{testClass}` {passed} passed, {failed} failed", $"`{testClass}` 통과 {passed}, 실패 {failed}");
    }

    private static Text Why<T>(Input<T> input) where T : class => GoalWriting.Reason(input);
}
