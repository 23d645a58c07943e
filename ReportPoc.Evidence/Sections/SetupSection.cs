using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>Where and how the evidence was produced: the machine, the infrastructure, the LP profiles, what is simulated and what the dev broker cannot show.</summary>
public sealed class SetupSection(EvidenceInputs inputs) : IReportSection
{
    public void Write(ReportDocument document)
    {
        document.Heading(2, "2. The setup", "2. 실험 환경");
        var benchmark = inputs.Benchmark.Value?.Results;
        var chaos = inputs.Chaos.Value?.Record;
        var tests = inputs.Tests.Value;
        document.Table(
            [new("", ""), new("this run", "이번 실행")],
            [
                [new("machine", "머신"), benchmark is null ? GoalWriting.Missing(inputs.Benchmark) : Text.Same(benchmark.Machine)],
                [new("infrastructure", "인프라"), new(
                    "local mode (`Infrastructure:Mode=local`, as the benchmark and the tests start the AppHost): PostgreSQL from the machine's server binaries, Kafka as the in-memory dev broker; every service a process of its own",
                    "로컬 모드(`Infrastructure:Mode=local`, 벤치마크와 테스트가 AppHost를 이 모드로 시작): PostgreSQL은 머신의 서버 바이너리로, Kafka는 인메모리 개발용 브로커로 실행하며 서비스마다 별도 프로세스")],
                [new("benchmark", "벤치마크"), benchmark is null ? GoalWriting.Missing(inputs.Benchmark)
                    : new Text($"started {Time(benchmark.StartedAt)}; system: {benchmark.Target}", $"{Time(benchmark.StartedAt)} 시작; 대상 시스템(벤치마크 도구의 기록): \"{benchmark.Target}\"")],
                [new("LP profile, benchmark", "LP 프로필 (벤치마크)"), benchmark?.LpProfile is { } lp
                    ? new Text($"setQueue {lp.SetQueueLatencyMs} ms, LPRUN {lp.LpRunLatencyMs} ms, capacity {lp.Capacity} → LP's limit {Rate(lp.LimitPerSecond)} reports/s (capacity ÷ LPRUN)",
                        $"setQueue {lp.SetQueueLatencyMs} ms, LPRUN {lp.LpRunLatencyMs} ms, 용량 {lp.Capacity} → LP 한도 초당 {Rate(lp.LimitPerSecond)}건 (용량 ÷ LPRUN)")
                    : benchmark is null ? GoalWriting.Missing(inputs.Benchmark) : new Text("not in the results", "결과에 없음")],
                [new("LP profile, chaos drill", "LP 프로필 (카오스 드릴)"), chaos is null ? GoalWriting.Missing(inputs.Chaos)
                    : new Text($"setQueue {chaos.LpProfile.SetQueueLatencyMs} ms, LPRUN {chaos.LpProfile.LpRunLatencyMs} ms, jitter {Percent(chaos.LpProfile.JitterRatio)}, capacity {chaos.LpCapacity}",
                        $"setQueue {chaos.LpProfile.SetQueueLatencyMs} ms, LPRUN {chaos.LpProfile.LpRunLatencyMs} ms, 지터 {Percent(chaos.LpProfile.JitterRatio)}, 용량 {chaos.LpCapacity}")],
                [new("test run", "테스트 실행"), tests is null ? GoalWriting.Missing(inputs.Tests)
                    : new Text($"{Time(tests.Started)} to {Time(tests.Finished)}: {Count(tests.Passed)} passed, {Count(tests.Failed)} failed, {Count(tests.Skipped)} skipped in {Count(tests.Classes.Count)} classes ({string.Join(", ", tests.Classes.Select(result => result.Project).Distinct())})",
                        $"{Time(tests.Started)} ~ {Time(tests.Finished)}: {Count(tests.Classes.Count)}개 클래스 ({string.Join(", ", tests.Classes.Select(result => result.Project).Distinct())})에서 통과 {Count(tests.Passed)}, 실패 {Count(tests.Failed)}, 건너뜀 {Count(tests.Skipped)}")],
            ]);

        document.Heading(3, "What is simulated and what is real", "시뮬레이션한 것과 실제인 것");
        document.Bullets(
        [
            new("**Simulated: only the LP system** (`ReportPoc.LpMock`): its latencies (setQueue, LPRUN, with jitter), a capacity on concurrent LPRUN executions (the excess waits, like a saturated real system), injected faults and refusals, "
                + "and a strict ledger that counts every call and every second LPRUN of a report.",
                "**시뮬레이션한 것은 LP 시스템뿐입니다** (`ReportPoc.LpMock`): 지연 시간(setQueue, LPRUN, 지터 포함), 동시 LPRUN 실행 용량(초과분은 포화된 실제 시스템처럼 대기), 장애·거부 주입, "
                + "그리고 모든 호출과 보고서별 두 번째 LPRUN까지 세는 호출 이력(ledger)."),
            new("**Real:** the API and the processor (ASP.NET Core on .NET), the Kafka clients (Confluent.Kafka on librdkafka: idempotent producer with `acks=all`, a consumer group with manual commits, the Kafka wire protocol), "
                + "PostgreSQL with EF Core migrations, OpenTelemetry into the Aspire dashboard, and the processes crashed and restarted by the drill.",
                "**실제인 것:** API와 Processor(.NET의 ASP.NET Core), Kafka 클라이언트(librdkafka 기반 Confluent.Kafka: `acks=all` 멱등 프로듀서, 수동 커밋 컨슈머 그룹, Kafka 와이어 프로토콜), "
                + "EF Core 마이그레이션을 적용한 PostgreSQL, Aspire 대시보드로 보내는 OpenTelemetry, 그리고 드릴이 실제로 죽이고 다시 띄우는 프로세스들."),
            new("**One machine:** the load generator, the services, the broker and the database share its cores, so absolute times are this machine's; the ratios between the paths, measured in the same run, are what carries over.",
                "**한 대의 머신:** 부하 발생기, 서비스, 브로커, DB가 모두 같은 코어를 나눠 쓰므로 절대 시간은 이 머신의 값입니다. 다른 환경에도 적용되는 것은 같은 실행에서 측정한 두 경로 사이의 비율입니다."),
        ]);

        document.Heading(3, "What the dev broker cannot show", "개발용 브로커로는 보여 줄 수 없는 것");
        document.Paragraph(
            "The in-memory dev broker is librdkafka's mock cluster: it speaks the real Kafka protocol with **three brokers**, every partition replicated to all three, "
            + "but the three share **one in-memory log per partition**: replication factor 3 is metadata, `min.insync.replicas` is not enforced, a broker that is down loses nothing because its replicas are the same log, "
            + "and everything is gone when the process exits. Here `acks=all` therefore means \"the cluster's one copy has it\". "
            + "Leaders and the consumer group's coordinator moving to another broker when one goes down is real protocol behaviour (`ReportPoc.DevBroker` moves them as a controller would), and the drill takes one broker down; "
            + "a replica outliving its broker is not shown. The dev broker also does not answer a waiting fetch when data arrives, "
            + "so in local mode the processor polls with `fetch.wait.max.ms` lowered (a real broker answers at once). What production needs instead is in [9](#9-risks-and-what-production-needs).",
            "인메모리 개발용 브로커는 librdkafka의 mock cluster입니다. 실제 Kafka 프로토콜로 **브로커 3대**를 띄우고 모든 파티션을 세 브로커에 복제하지만, 세 브로커가 **파티션마다 메모리 속 로그 하나를 함께 씁니다**. "
            + "그래서 복제 계수 3은 메타데이터일 뿐이고, `min.insync.replicas`는 적용되지 않으며, 브로커 하나가 내려가도 복제본이 같은 로그라서 잃는 데이터가 없고, 프로세스가 끝나면 데이터가 모두 사라집니다. "
            + "따라서 여기서 `acks=all`은 \"클러스터에 하나뿐인 사본이 받았다\"는 뜻입니다. "
            + "브로커 하나가 내려갈 때 리더와 컨슈머 그룹 코디네이터가 다른 브로커로 옮겨 가는 것은 실제 프로토콜 동작이며(`ReportPoc.DevBroker`가 컨트롤러처럼 옮김), 드릴에서도 브로커 하나를 내립니다. "
            + "다만 브로커를 잃은 뒤 다른 복제본이 데이터를 지키는 모습은 보여 주지 못합니다. 또한 데이터가 도착해도 대기 중인 fetch에 바로 응답하지 않으므로, "
            + "로컬 모드에서는 Processor의 `fetch.wait.max.ms`를 낮춰 폴링합니다(실제 브로커는 즉시 응답). 운영 환경에 필요한 구성은 [9](#9-위험-요소와-운영-환경에-필요한-것)에 정리했습니다.");
    }
}
