using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Assessment;

/// <summary>A behaviour the PoC promises and the test classes whose passing shows it (the README's reliability table).</summary>
public sealed record Guarantee(Text Situation, Text Outcome, IReadOnlyList<string> TestClasses);

/// <summary>
/// Which test classes prove what, per verification goal. The figures (passed, failed, time) come from the test run;
/// the class names are checked against the test sources by ReportPoc.UnitTests, so a renamed class cannot drop out unseen.
/// </summary>
public static class Guarantees
{
    public static readonly IReadOnlyList<Guarantee> ResponseTime =
    [
        new(new("sync path (as-is)", "동기 경로 (as-is)"),
            new("answers 200 with the final report after setQueue and LPRUN", "setQueue와 LPRUN을 마친 뒤 최종 결과와 함께 200으로 응답"),
            ["SyncPathTests"]),
        new(new("async path (to-be)", "비동기 경로 (to-be)"),
            new("answers 202 at once; the report is Completed through Kafka; an accepted report is never 404",
                "즉시 202로 응답하고, 보고서는 Kafka를 거쳐 Completed가 되며, 접수된 보고서가 404로 보이는 일은 없음"),
            ["AsyncPathTests"]),
        new(new("the two traces in the dashboard", "대시보드의 두 트레이스"),
            new("one long sync span; a short async span whose trace the processor continues", "긴 동기 스팬 하나, 그리고 짧은 비동기 스팬과 같은 트레이스를 이어 가는 Processor"),
            ["DashboardTracesTests"]),
    ];

    public static readonly IReadOnlyList<Guarantee> FaultIsolation =
    [
        new(new("LP down for longer than any retry budget", "재시도 한도보다 긴 LP 장애"),
            new("processors pause and probe; every report completes after LP returns, none Failed", "Processor가 일시 정지하고 상태를 확인하며, LP 복구 후 모든 보고서가 완료됨 (Failed 없음)"),
            ["LpOutageTests", "ChaosTests"]),
        new(new("LP outage: both paths at the same moment", "LP 장애 중 두 경로를 동시에 호출"),
            new("the sync path answers 503 and leaves the report unfinished, not Failed; the async path still answers 202 and the report waits behind Kafka",
                "동기 경로는 503으로 응답하고 보고서를 Failed가 아닌 미완료 상태로 남기며, 비동기 경로는 여전히 202로 응답하고 보고서는 Kafka에 쌓인 채 대기"),
            ["FaultIsolationTests"]),
        new(new("LP refuses a report", "LP가 보고서를 거부"),
            new("attempts run out → dead letter → Failed", "시도 횟수 소진 → 데드레터 → Failed"),
            ["LpRejectionTests", "ChaosTests"]),
        new(new("PostgreSQL crashes with work in flight", "처리 중 PostgreSQL 비정상 종료"),
            new("the API still accepts; processors pause; every report completes once", "API는 계속 접수하고 Processor는 일시 정지하며, 모든 보고서가 한 번씩 완료됨"),
            ["DatabaseOutageTests", "ChaosTests"]),
        new(new("Kafka broker down, again and again", "Kafka 브로커 장애 (반복)"),
            new("503 + Retry-After within the ack timeout, never 202 without the broker's ack; recovers by itself",
                "ack 제한 시간 안에 503 + Retry-After, 브로커 확인 없이 202는 없음; 스스로 복구"),
            ["FaultIsolationTests", "BrokerOutageTests"]),
        new(new("broker confirms after the ack timeout", "ack 제한 시간 이후의 브로커 확인"),
            new("503 \"outcome unknown\" with a status URL; a retry with the key yields one report, one LPRUN",
                "상태 URL과 함께 503 \"outcome unknown\"; 같은 키로 재시도하면 보고서 하나, LPRUN 한 번"),
            ["ApiContractTests"]),
        new(new("processor killed (SIGKILL) mid-LPRUN, or every processor stopped", "LPRUN 도중 Processor 강제 종료(SIGKILL), 또는 모든 Processor 중지"),
            new("the message is redelivered and LP's run followed, not repeated; reports wait in Kafka and drain after restart",
                "메시지가 재전달되고 LP 실행은 반복되지 않고 추적됨; 보고서는 Kafka에서 대기하다 재시작 후 처리됨"),
            ["ProcessorFailureTests", "ChaosTests"]),
        new(new("instance stopped while LP is down", "LP 장애 중 인스턴스 중지"),
            new("it leaves within its shutdown timeout; its work completes elsewhere, once", "종료 제한 시간 안에 빠지고, 그 작업은 다른 인스턴스에서 한 번 완료됨"),
            ["GracefulStopTests"]),
        new(new("the same Idempotency-Key on both paths at once", "두 경로에 동시에 같은 Idempotency-Key"),
            new("one report, one LPRUN", "보고서 하나, LPRUN 한 번"),
            ["IdempotencyTests"]),
        new(new("poison message", "처리할 수 없는 메시지 (poison)"),
            new("dead-lettered at once; the partition moves on", "즉시 데드레터로 보내고 파티션은 계속 진행"),
            ["DeadLetterTests"]),
        new(new("hostile or malformed input", "악의적이거나 형식이 잘못된 입력"),
            new("4xx ProblemDetails, never 5xx, no internals", "4xx ProblemDetails, 5xx 없음, 내부 정보 노출 없음"),
            ["SubmitReportRequestTests", "SubmissionReaderTests", "InputValidationTests", "MalformedHttpTests"]),
    ];

    public static readonly IReadOnlyList<Guarantee> Scalability =
    [
        new(new("instances added and removed while reports flow", "보고서 처리 중 인스턴스 추가·제거"),
            new("partitions move with work in flight; every report completes, LP runs each once", "처리 중인 작업과 함께 파티션이 이동하고, 모든 보고서가 완료되며 LP는 각각 한 번만 실행"),
            ["ScaleOutTests", "ChaosTests"]),
        new(new("LP's capacity raised at run time", "실행 중 LP 용량 상향"),
            new("the bottleneck moves from LP to the processors", "병목이 LP에서 Processor로 이동"),
            ["LpCapacityTests"]),
        new(new("what limits throughput now", "현재 처리량을 제한하는 요소"),
            new("judged from LP's slots, the instances' work in flight and the partition count", "LP 슬롯, 인스턴스별 처리 중 작업, 파티션 수로 판정"),
            ["BottleneckJudgementTests"]),
    ];

    public static IEnumerable<string> AllTestClasses => ResponseTime.Concat(FaultIsolation).Concat(Scalability)
        .SelectMany(guarantee => guarantee.TestClasses).Distinct();
}
