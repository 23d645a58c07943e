using ReportPoc.Benchmark.Results;
using ReportPoc.Chaos.Results;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using ScottPlot;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>
/// Verification 2: failures of the processors, LP, the database or the broker do not reach the API, and no report is lost
/// or run twice (the chaos drill, the failure scenarios of the test suite, memory under overload).
/// </summary>
public sealed class FaultIsolationGoal(EvidenceInputs inputs) : IGoalSection
{
    public GoalAssessment Assessment { get; } = Assess(inputs);

    private static GoalAssessment Assess(EvidenceInputs inputs)
    {
        var title = new Text("Stability and fault isolation", "안정성과 장애 격리");
        Text[] asks =
        [
            new("every accepted report ends Completed or Failed: none lost", "접수된 모든 보고서가 Completed 또는 Failed로 끝남: 유실 없음"),
            new("LP runs each report at most once", "LP는 보고서마다 최대 한 번만 실행"),
            new("only reports LP refused end Failed, each of them dead-lettered", "LP가 거부한 보고서만 Failed가 되고, 모두 데드레터로 보내짐"),
            new("every report final within the settle bound after the last fault", "마지막 장애 종료 후 정해진 시간 안에 모든 보고서가 최종 상태"),
            new("the API keeps accepting: every submission accepted (after Retry-After while the broker was down)", "API가 계속 접수: 모든 제출이 접수됨 (브로커 장애 중에는 Retry-After 후 재시도)"),
        ];
        var tests = GoalWriting.Tests(inputs.Tests, Guarantees.FaultIsolation);
        if (inputs.Chaos.Value is not { Record.Result: var result, Api: var api })
        {
            var missing = GoalWriting.Missing(inputs.Chaos);
            return new GoalAssessment(2, title, new Text("no chaos drill result", "카오스 드릴 결과 없음"),
                [.. asks.Select(criterion => Criterion.Unmeasured(criterion, missing)), .. FaultIsolationFindings.ApiDuringFaults(null, missing), tests]);
        }

        return new GoalAssessment(2, title,
            new Text($"chaos drill: {Count(result.Accepted)} reports accepted through kills, outages and crashes, {Count(result.Lost)} lost, {Count(result.DuplicateLpRuns)} run twice",
                $"카오스 드릴: 강제 종료·장애·비정상 종료 속에서 {Count(result.Accepted)}건 접수, 유실 {Count(result.Lost)}건, 중복 실행 {Count(result.DuplicateLpRuns)}건"),
        [
            new Criterion(asks[0], new Text($"{Count(result.Lost)} lost of {Count(result.Accepted)} accepted", $"접수 {Count(result.Accepted)}건 중 유실 {Count(result.Lost)}건"), result.Lost == 0),
            new Criterion(asks[1], new Text($"{Count(result.DuplicateLpRuns)} second LPRUN executions in LP's ledger", $"LP 원장의 두 번째 LPRUN 실행 {Count(result.DuplicateLpRuns)}건"),
                result.DuplicateLpRuns == 0),
            new Criterion(asks[2],
                new Text($"Failed {Count(result.Failed)}, refused by LP {Count(result.RejectedByLp)}, dead letters {Count(result.DeadLettered)}; Failed = refused: {YesNo(result.FailedAreRejected).En}; dead letters = Failed: {YesNo(result.DeadLettersAreFailed).En}",
                    $"Failed {Count(result.Failed)}건, LP 거부 {Count(result.RejectedByLp)}건, 데드레터 {Count(result.DeadLettered)}건; Failed = 거부: {YesNo(result.FailedAreRejected).Ko}; 데드레터 = Failed: {YesNo(result.DeadLettersAreFailed).Ko}"),
                result.FailedAreRejected && result.DeadLettersAreFailed),
            new Criterion(asks[3],
                new Text($"{Seconds(result.SettledAfterLastFault)} after the last fault (bound {Seconds(result.SettleBound)})", $"마지막 장애 후 {Seconds(result.SettledAfterLastFault)} (기준 {Seconds(result.SettleBound)})"),
                result.SettledInTime),
            new Criterion(asks[4],
                new Text($"{Count(result.Accepted)} of {Count(result.Reports)} accepted; {Count(result.Answered503)} answers were 503 during {Count(result.BrokerBlips)} broker outages",
                    $"{Count(result.Reports)}건 중 {Count(result.Accepted)}건 접수; 브로커 장애 {Count(result.BrokerBlips)}회 동안 503 응답 {Count(result.Answered503)}건"),
                result.Accepted == result.Reports),
            .. FaultIsolationFindings.ApiDuringFaults(api, GoalWriting.Missing(inputs.Chaos)),
            tests,
        ]);
    }

    private static Text YesNo(bool value) => value ? new Text("yes", "예") : new Text("**no**", "**아니오**");

    public void Write(ReportDocument document)
    {
        GoalWriting.Opening(document, 4, Assessment, inputs.Run);
        WriteDrill(document);

        document.Heading(3, "Every failure the tests provoke", "테스트가 일으키는 장애별 결과");
        document.Paragraph(
            "Each failure below is provoked for real against the running system (the AppHost in local mode, the suite's fast LP profile) by the named test classes; the last column is what they did in this test run.",
            "아래 장애는 각 테스트 클래스가 실행 중인 시스템(로컬 모드의 AppHost, 테스트용 빠른 LP 프로필)에 실제로 일으킵니다. 마지막 열은 이번 테스트 실행에서의 결과입니다.");
        GoalWriting.GuaranteeTable(document, inputs.Tests, Guarantees.FaultIsolation);

        WriteMemory(document);
    }

    private void WriteDrill(ReportDocument document)
    {
        document.Heading(3, "The chaos drill", "카오스 드릴");
        if (inputs.Chaos.Value is not { Record: var record, Api: var api })
        {
            document.Paragraph(new Text($"No chaos drill result: {GoalWriting.Reason(inputs.Chaos).En}.", $"카오스 드릴 결과가 없습니다 ({GoalWriting.Reason(inputs.Chaos).Ko})."));
            return;
        }

        var drill = record.Drill;
        var result = record.Result;
        var lp = record.LpProfile;
        document.Paragraph(
            $"The drill (`ReportPoc.Chaos`, finished {Time(record.FinishedAt)}, {Seconds(result.Duration)}) ran {drill.Instances} processor instances and sent {Count(drill.Reports)} async reports at {drill.SubmitPerSecond}/s, "
            + $"a wave into each fault, half before it and half while it lasted, through the doors a person uses: the API, LP's admin API and the dashboard's commands. "
            + $"Throughout, LP failed {Percent(drill.LpErrorRate)} of calls and refused {Percent(drill.LpRejectRate)} of the reports for good. "
            + $"LP profile: setQueue {lp.SetQueueLatencyMs} ms, LPRUN {lp.LpRunLatencyMs} ms, capacity {record.LpCapacity}. "
            + "Then it read every accepted report until all were final, and audited LP's ledger and the dead-letter topic.",
            $"드릴(`ReportPoc.Chaos`, {Time(record.FinishedAt)} 종료, 소요 {Seconds(result.Duration)})은 Processor 인스턴스 {drill.Instances}개를 띄우고 비동기 보고서 {Count(drill.Reports)}건을 초당 {drill.SubmitPerSecond}건씩 보냈습니다. "
            + "장애마다 보고서 묶음을 하나씩 보내되, 절반은 장애 직전에, 나머지 절반은 장애가 계속되는 동안 보냈습니다. 운영자가 쓰는 경로(API, LP 관리 API, 대시보드 명령)만 사용했습니다. "
            + $"드릴 내내 LP는 호출의 {Percent(drill.LpErrorRate)}를 실패시키고 보고서의 {Percent(drill.LpRejectRate)}를 영구 거부했습니다. "
            + $"LP 프로필: setQueue {lp.SetQueueLatencyMs} ms, LPRUN {lp.LpRunLatencyMs} ms, 용량 {record.LpCapacity}. "
            + "이후 접수된 모든 보고서가 최종 상태가 될 때까지 조회하고, LP 원장과 데드레터 토픽을 대조했습니다.");

        // Drills before the freeze, the gateway and the sync repeats joined the schedule have none of these rows.
        Text[][] laterFaults =
        [
            .. result.ProcessorFreezes > 0
                ? [[new("processor instances frozen (SIGSTOP), then thawed", "Processor 인스턴스 정지(SIGSTOP) 후 재개"),
                    new($"{result.ProcessorFreezes}, {Seconds(result.FrozenFor)}, with {Count(result.InFlightAtFreezes)} reports in flight",
                        $"{result.ProcessorFreezes}회, {Seconds(result.FrozenFor)}, 처리 중이던 보고서 {Count(result.InFlightAtFreezes)}건")]]
                : Array.Empty<Text[]>(),
            .. result.LpGatewayErrors > 0
                ? [[new("LPRUN calls a gateway answered 502/504 while LP ran them", "LP가 실행하는 동안 게이트웨이가 502/504로 응답한 LPRUN 호출"),
                    Text.Same(Count(result.LpGatewayErrors))]]
                : Array.Empty<Text[]>(),
            .. result.SyncRepeats > 0
                ? [[new("reports also sent to the sync path with the same key", "같은 키로 동기 경로에도 보낸 보고서"),
                    new($"{Count(result.SyncRepeats)}, {Count(result.SyncRepeatsCompleted)} answered 200, {result.SyncRepeatsUnexpected} against the contract",
                        $"{Count(result.SyncRepeats)}건, 200 응답 {Count(result.SyncRepeatsCompleted)}건, 계약 위반 {result.SyncRepeatsUnexpected}건")]]
                : Array.Empty<Text[]>(),
        ];

        document.Table(
            [new("fault", "장애"), new("as met in the run", "드릴에서 실제로 일어난 일")],
            [
                [new("processor instances killed (SIGKILL)", "Processor 인스턴스 강제 종료(SIGKILL)"),
                 new($"{result.ProcessorKills}, with {Count(result.InFlightAtKills)} reports in flight", $"{result.ProcessorKills}회, 처리 중이던 보고서 {Count(result.InFlightAtKills)}건")],
                [new("instances removed / added", "인스턴스 제거 / 추가"), Text.Same($"{result.InstancesRemoved} / {result.InstancesAdded}")],
                [new("partitions moved between instances", "인스턴스 간 파티션 이동"), Text.Same(Count(result.PartitionHandovers))],
                [new("LP outage", "LP 장애"),
                 new($"{Seconds(result.LpOutage)}, {Count(result.LpFailedCallsInOutage)} calls failed during it", $"{Seconds(result.LpOutage)}, 그동안 실패한 호출 {Count(result.LpFailedCallsInOutage)}건")],
                [new("LP calls failed in all", "실패한 LP 호출 합계"), Text.Same(Count(result.LpFailedCalls))],
                [new("PostgreSQL crashed (kill -9)", "PostgreSQL 비정상 종료(kill -9)"),
                 new($"{result.PostgresCrashes}, down {Seconds(result.PostgresDown)}", $"{result.PostgresCrashes}회, 중단 {Seconds(result.PostgresDown)}")],
                [new("broker outages", "브로커 장애"), new($"{result.BrokerBlips}, {Count(result.Answered503)} submissions answered 503", $"{result.BrokerBlips}회, 503 응답 {Count(result.Answered503)}건")],
                .. result.BrokerRestarts > 0
                    ? [[new("one broker of three down, then back", "브로커 3대 중 1대 중단 후 복구"),
                        new($"{result.BrokerRestarts}, {Seconds(drill.BrokerRestart)}", $"{result.BrokerRestarts}회, {Seconds(drill.BrokerRestart)}")]]
                    : Array.Empty<Text[]>(),
                .. laterFaults,
            ]);

        WriteApiDuringFaults(document, api);
        document.Chart("fault-isolation", new Text("How the chaos drill's reports ended", "카오스 드릴에서 보고서가 끝난 상태"), language => OutcomeChart(result, language));
        document.Paragraph(
            $"The drill's own line: `{result.SummaryLine}`",
            $"드릴이 남긴 한 줄 요약: `{result.SummaryLine}`");
    }

    /// <summary>The Api's own latency and error rate per phase of the drill, as a client saw it.</summary>
    private static void WriteApiDuringFaults(ReportDocument document, ApiDuringFaults api)
    {
        document.Heading(4, "The Api during each fault", "장애별 API");
        if (api.Problem is { } problem)
        {
            document.Paragraph(new Text($"{problem.En[..1].ToUpperInvariant()}{problem.En[1..]}.", $"{problem.Ko}."));
            return;
        }

        document.Paragraph(
            "Every submission attempt the drill sent, counted in the phase in effect when it was sent: the calm wave before the first fault, or a fault from the moment it took hold to its undoing. "
            + "An error is no answer, or an answer other than `202` or a `503` with `Retry-After`; such a `503` is a refusal by design (nothing accepted, the client told when to retry) and is counted apart.",
            "드릴이 보낸 모든 제출 시도를, 보낸 시점에 진행 중이던 구간으로 셉니다. 첫 장애 전의 평상시 구간, 또는 장애가 발생한 순간부터 복구가 끝날 때까지입니다. "
            + "오류는 응답이 없거나, `202`도 `Retry-After`가 붙은 `503`도 아닌 응답입니다. `Retry-After`가 붙은 `503`은 설계된 거절(접수 없음, 재시도 시점 안내)이며 따로 셉니다.");
        document.Table(
            [new("phase", "구간"), new("requests", "요청"), new("errors", "오류"), new("error rate", "오류율"), new("refused by design", "설계된 거절"), new("p50 ms", "p50 ms"), new("p99 ms", "p99 ms")],
            api.Phases.Select(phase => (IReadOnlyList<Text>)
            [
                phase.Phase == DrillPhase.Calm ? new Text("calm", "평상시") : FaultIsolationFindings.Faults.First(fault => fault.Phase == phase.Phase).Name,
                Text.Same(Count(phase.Requests)), Text.Same(Count(phase.Errors)), Text.Same(Percent(phase.ErrorRate)), Text.Same(Count(phase.Refused)),
                Text.Same(Ms(phase.P50Ms)), Text.Same(Ms(phase.P99Ms)),
            ]),
            "|---|---:|---:|---:|---:|---:|---:|");
    }

    private void WriteMemory(ReportDocument document)
    {
        document.Heading(3, "Memory while the backlog grows", "백로그가 쌓이는 동안의 메모리");
        if (inputs.Benchmark.Value is not { Results: { Overload: { } overload } results } || results.Memory.Count == 0)
        {
            document.Paragraph(new Text($"Not measured: {(inputs.Benchmark.Value is null ? GoalWriting.Reason(inputs.Benchmark).En : "the benchmark results hold no overload with memory")}.",
                $"측정 안 됨: {(inputs.Benchmark.Value is null ? GoalWriting.Reason(inputs.Benchmark).Ko : "벤치마크 결과에 메모리 측정이 있는 과부하 구간이 없음")}."));
            return;
        }

        document.Paragraph(
            $"For {Seconds(results.OverloadSeconds)} the benchmark submitted async reports with {results.OverloadConcurrency} clients far beyond what the processor finishes "
            + $"({Rate(overload.Throughput)} accepted/s, {Count(overload.Errors)} errors), so the Kafka backlog grew all the time. The services' working sets:",
            $"벤치마크는 {Seconds(results.OverloadSeconds)} 동안 클라이언트 {results.OverloadConcurrency}개로 Processor가 처리할 수 있는 양을 훨씬 넘는 비동기 보고서를 보냈습니다"
            + $"(초당 {Rate(overload.Throughput)}건 접수, 오류 {Count(overload.Errors)}건). 그동안 Kafka 백로그는 계속 늘었습니다. 서비스별 메모리(working set):");
        document.Table(
            [new("service", "서비스"), new("RSS before", "시작 시 RSS"), new("RSS after", "종료 시 RSS"), new("peak (VmHWM)", "최대 (VmHWM)")],
            results.Memory.Select(service => (IReadOnlyList<Text>)
            [
                Text.Same(service.Service), Text.Same(Megabytes(service.RssBeforeMb)), Text.Same(Megabytes(service.RssAfterMb)), Text.Same(Megabytes(service.PeakWorkingSetMb)),
            ]),
            "|---|---:|---:|---:|");
        document.Paragraph(
            "The backlog waits in Kafka, not in the services: the API keeps nothing per accepted report and the producer's queue is bounded; the processor holds only the reports it works on.",
            "백로그는 서비스가 아니라 Kafka에 쌓입니다. API는 접수한 보고서를 메모리에 남기지 않고 프로듀서 큐에는 상한이 있으며, Processor는 처리 중인 보고서만 메모리에 둡니다.");
    }

    private static Plot OutcomeChart(ChaosResult result, Language language)
    {
        (Text Name, double Value, Color Color)[] bars =
        [
            (new("accepted", "접수"), result.Accepted, ChartStyle.Async),
            (new("Completed", "Completed"), result.Completed, ChartStyle.Processors),
            (new("Failed", "Failed"), result.Failed, ChartStyle.LpBound),
            (new("refused by LP", "LP 거부"), result.RejectedByLp, ChartStyle.LpBound),
            (new("dead letters", "데드레터"), result.DeadLettered, ChartStyle.LpBound),
            (new("lost", "유실"), result.Lost, ChartStyle.Sync),
            (new("LPRUN run twice", "LPRUN 중복 실행"), result.DuplicateLpRuns, ChartStyle.Sync),
        ];
        var plot = new Plot();
        plot.Add.Bars(bars.Select((bar, i) => new Bar
        {
            Position = i,
            Value = bar.Value,
            FillColor = bar.Color,
            Label = Count((long)bar.Value),
        }).ToList());
        plot.Axes.Bottom.SetTicks(bars.Select((_, i) => (double)i).ToArray(), bars.Select(bar => bar.Name.In(language)).ToArray());
        plot.Axes.Left.Label.Text = new Text("reports", "보고서 수").In(language);
        plot.Axes.Margins(bottom: 0);
        plot.Title(new Text($"Chaos drill: {Count(result.Reports)} reports through kills, outages and crashes", $"카오스 드릴: 강제 종료·장애·비정상 종료 속의 보고서 {Count(result.Reports)}건").In(language));
        return plot;
    }
}
