using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>What the proposal asked, and the two designs side by side as sequence diagrams.</summary>
public sealed class QuestionSection : IReportSection
{
    private static readonly Text AsIs = new(
        """
        sequenceDiagram
            actor U as User
            participant A as API (POST /api/reports/sync)
            participant D as PostgreSQL
            participant L as LP system
            U->>A: submit report
            A->>D: INSERT
            A->>L: setQueue
            L-->>A: queue id
            A->>D: UPDATE (queue id, claim on LPRUN)
            A->>L: LPRUN (the slowest step)
            L-->>A: run id
            A->>D: UPDATE (Completed)
            A-->>U: 200 with the final report
            Note over U,A: the user waits for every step
        """,
        """
        sequenceDiagram
            actor U as 사용자
            participant A as API (POST /api/reports/sync)
            participant D as PostgreSQL
            participant L as LP 시스템
            U->>A: 보고서 제출
            A->>D: INSERT
            A->>L: setQueue
            L-->>A: 큐 ID
            A->>D: UPDATE (큐 ID, LPRUN 선점)
            A->>L: LPRUN (가장 느린 단계)
            L-->>A: 실행 ID
            A->>D: UPDATE (Completed)
            A-->>U: 200 최종 결과
            Note over U,A: 사용자는 모든 단계가 끝날 때까지 기다림
        """);

    private static readonly Text ToBe = new(
        """
        sequenceDiagram
            actor U as User
            participant A as API (POST /api/reports)
            participant K as Kafka (reports.submitted)
            participant P as Processor (consumer group)
            participant D as PostgreSQL
            participant L as LP system
            U->>A: submit report
            A->>K: publish ReportSubmitted (key = report id, acks=all)
            K-->>A: acknowledged
            A-->>U: 202 Accepted with a status URL
            Note over U,A: the user's wait ends here
            K->>P: deliver (each key to one partition)
            P->>D: INSERT
            P->>L: setQueue
            P->>D: UPDATE (queue id, claim on LPRUN)
            P->>L: LPRUN
            P->>D: UPDATE (Completed)
            P->>K: commit the offset
            U->>A: GET the status URL
            A->>D: read
            A-->>U: Completed
        """,
        """
        sequenceDiagram
            actor U as 사용자
            participant A as API (POST /api/reports)
            participant K as Kafka (reports.submitted)
            participant P as Processor (컨슈머 그룹)
            participant D as PostgreSQL
            participant L as LP 시스템
            U->>A: 보고서 제출
            A->>K: ReportSubmitted 발행 (키 = 보고서 ID, acks=all)
            K-->>A: 저장 확인
            A-->>U: 202 Accepted 및 상태 URL
            Note over U,A: 사용자의 대기는 여기서 끝남
            K->>P: 전달 (같은 키는 같은 파티션)
            P->>D: INSERT
            P->>L: setQueue
            P->>D: UPDATE (큐 ID, LPRUN 선점)
            P->>L: LPRUN
            P->>D: UPDATE (Completed)
            P->>K: 오프셋 커밋
            U->>A: 상태 URL 조회
            A->>D: 읽기
            A-->>U: Completed
        """);

    public void Write(ReportDocument document)
    {
        document.Heading(2, "1. The question", "1. 검증 질문");
        document.Paragraph(
            "The proposal describes today's `POST /SAVE`: it answers only after all four steps — DB INSERT → LP setQueue → DB UPDATE → LP LPRUN, the last one the slowest. "
            + "Users wait, server threads pile up when requests come at once, and one slow LP call slows the whole API down. It proposes a Kafka-based design: the API validates the request, "
            + "publishes one message and answers at once; a consumer does the four steps in the background. Three things were to be verified:",
            "제안서가 설명하는 현재의 `POST /SAVE`는 DB INSERT → LP setQueue → DB UPDATE → LP LPRUN 네 단계를 모두 마친 뒤에야 응답하며, 그중 LPRUN이 가장 느립니다. "
            + "그래서 사용자는 오래 기다리고, 요청이 몰리면 서버 스레드가 쌓이며, LP 호출 하나가 느려지면 API 전체가 느려집니다. 제안된 Kafka 기반 구조에서는 API가 요청을 검증하고 "
            + "메시지 하나를 발행한 뒤 바로 응답하며, 컨슈머가 네 단계를 백그라운드에서 처리합니다. 검증할 항목은 다음 세 가지였습니다.");
        document.Bullets(
        [
            new("(1) drastically faster API responses;", "(1) API 응답 속도의 획기적 개선"),
            new("(2) stability and fault isolation: a consumer failure does not affect the API;", "(2) 안정성과 장애 격리: 컨슈머 장애가 API에 영향을 주지 않음"),
            new("(3) a scalable design: add consumers as the load grows.", "(3) 확장 가능한 구조: 부하가 늘면 컨슈머를 추가"),
        ]);
        document.Paragraph(
            "ReportPoc builds both designs into one system, so they are compared under the same load, on the same database and against the same LP stand-in: "
            + "`POST /api/reports/sync` is the as-is path, `POST /api/reports` the to-be path. Both run the same workflow code (`ReportPoc.Reports`); only where it runs differs.",
            "ReportPoc는 두 구조를 한 시스템 안에 함께 구현했습니다. 그래서 같은 부하, 같은 DB, 같은 LP 모의 서버(mock)으로 두 경로를 비교할 수 있습니다. "
            + "`POST /api/reports/sync`가 현행(as-is) 경로, `POST /api/reports`가 목표(to-be) 경로입니다. 두 경로는 같은 워크플로 코드(`ReportPoc.Reports`)를 실행하며, 다른 점은 그 코드가 어디서 실행되느냐뿐입니다.");
        document.Heading(3, "As-is: everything inside the request", "현행(as-is): 모든 단계를 요청 안에서 처리");
        document.Fenced("mermaid", AsIs);
        document.Heading(3, "To-be: accept through Kafka, process in the background", "목표(to-be): Kafka로 접수하고 백그라운드에서 처리");
        document.Fenced("mermaid", ToBe);
    }
}
