using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>The risks, what production needs beyond the PoC, and the open questions (the sizing is the decision chapter's).</summary>
public sealed class ProductionSection : IReportSection
{
    public void Write(ReportDocument document)
    {
        document.Heading(2, "9. Risks and what production needs", "9. 위험 요소와 운영 환경에 필요한 것");
        document.Bullets(
        [
            new("**Replicated Kafka.** Replication factor 3 and `min.insync.replicas=2` for `reports.submitted` and its dead-letter topic, so that `acks=all` survives the loss of a broker; "
                + "idempotent producers with `acks=all` (as here). The dev broker's three brokers share one copy of each partition: the drill shows leaders and the group coordinator moving when a broker goes down, not a replica outliving its broker.",
                "**복제된 Kafka.** `reports.submitted`와 데드레터 토픽 모두 복제 계수 3, `min.insync.replicas=2`로 설정해야 브로커 하나를 잃어도 `acks=all`이 유지됩니다. "
                + "프로듀서는 지금처럼 `acks=all` 멱등 모드로 둡니다. 개발용 브로커는 브로커 3대가 파티션마다 사본 하나를 함께 쓰므로, 드릴은 브로커 하나가 내려갈 때 리더와 그룹 코디네이터가 옮겨 가는 것은 보여 주지만 브로커를 잃은 뒤 다른 복제본이 데이터를 지키는 것은 보여 주지 못합니다."),
            new("**Sizing** for a stated peak — partitions, instances, LP's concurrent runs, brokers and retention — is in [8.2](#82-production-sizing-for-a-stated-peak).",
                "**규모 산정**(파티션, 인스턴스, LP 동시 실행 수, 브로커, 보존 기간)은 [8.2](#82-명시한-최대-부하에-맞춘-운영-규모-산정)에 있습니다."),
            new("**Idempotency keys on the client side.** Clients must send an `Idempotency-Key` and retry with the same key after a `503` or a timeout; the API turns a repeat into the same report. "
                + "Without a key, a retry after \"outcome unknown\" may create a second report (section 7).",
                "**클라이언트의 멱등성 키.** 클라이언트는 `Idempotency-Key`를 보내고, `503`이나 타임아웃 후에는 같은 키로 재시도해야 합니다. API는 같은 키의 반복 요청을 같은 보고서로 처리합니다. "
                + "키가 없으면 \"outcome unknown\" 후 재시도가 보고서를 두 건 만들 수 있습니다(7절)."),
            new("**Monitoring of lag and of the dead-letter topic.** Alert when consumer lag (`messaging.kafka.consumer.lag`) keeps growing and on every dead letter (`reports.dead_lettered`, topic `reports.submitted.dlq`); "
                + "a team owns the dead letters and replays or closes each one. Accepted is not done: users need to see `Failed`.",
                "**컨슈머 랙과 데드레터 토픽 모니터링.** 컨슈머 랙(`messaging.kafka.consumer.lag`)이 계속 늘거나 데드레터가 생기면(`reports.dead_lettered`, 토픽 `reports.submitted.dlq`) 알림을 보내야 합니다. "
                + "데드레터를 책임지는 팀이 건마다 재처리하거나 종결합니다. 접수가 곧 완료는 아니므로 사용자에게 `Failed`도 보여 줘야 합니다."),
            new("**Idempotency on LP's side.** LPRUN runs at most once here because the database holds a claim per report and LP can be asked, by report id, whether a run exists. "
                + "The real LP must offer such a lookup, or accept a report id and refuse a second run; otherwise a crash between LPRUN and the database write can run a report twice.",
                "**LP 쪽 멱등성.** 이 PoC에서 LPRUN이 최대 한 번만 실행되는 것은 DB가 보고서마다 선점(claim)을 기록하고, 보고서 ID로 LP에 실행 여부를 물어볼 수 있기 때문입니다. "
                + "실제 LP도 이런 조회를 제공하거나, 보고서 ID를 받아 두 번째 실행을 거부해야 합니다. 그렇지 않으면 LPRUN과 DB 기록 사이에 장애가 나면 같은 보고서가 두 번 실행될 수 있습니다."),
            new("**Data retention.** The topic holds accepted reports until they are processed: its retention must outlast the longest LP or processor outage to be survived, and the dead-letter topic's longer still. "
                + "Messages carry the report's content, so retention, encryption at rest and access to the topics follow the same rules as the reports table, which needs its own archiving.",
                "**데이터 보존.** 토픽에는 처리되기 전까지 접수된 보고서가 남아 있으므로, 보존 기간은 견뎌야 할 가장 긴 LP·Processor 장애보다 길어야 하고 데드레터 토픽은 그보다 더 길어야 합니다. "
                + "메시지에 보고서 내용이 담기므로 보존 기간, 저장 시 암호화, 토픽 접근 권한은 보고서 테이블과 같은 규칙을 따라야 하며, 보고서 테이블에도 별도의 보관(archiving) 정책이 필요합니다."),
            new("**Authentication.** The PoC's API has none: in production it sits behind the existing system's gateway or identity provider, and the reporter comes from the caller's identity, not the body. "
                + "Kafka needs TLS, SASL and ACLs; the Aspire dashboard, which can crash processes, needs its login (browser token or OpenID Connect) before it leaves the machine.",
                "**인증.** PoC의 API에는 인증이 없습니다. 운영 환경에서는 기존 시스템의 게이트웨이나 ID 공급자 뒤에 두고, 보고자는 요청 본문이 아니라 호출자의 ID에서 가져와야 합니다. "
                + "Kafka에는 TLS, SASL, ACL이 필요하며, 프로세스를 종료시킬 수도 있는 Aspire 대시보드는 외부에 노출하기 전에 로그인(브라우저 토큰 또는 OpenID Connect)을 켜야 합니다."),
        ]);

        document.Heading(3, "Open questions", "열린 질문");
        document.Bullets(
        [
            new("What are the real LP's latency and concurrent capacity, can the capacity be raised, and does LP offer a lookup or an idempotent run by report id?",
                "실제 LP의 지연 시간과 동시 처리 용량은 얼마이며, 용량을 늘릴 수 있는가? 보고서 ID로 조회하거나 멱등하게 실행하는 기능이 있는가?"),
            new("What rate must the system take at its peak, and how fast must a report be Completed? The topic sizing above needs both.",
                "최대 부하 시 처리해야 할 속도는 얼마이며, 보고서는 얼마 안에 Completed가 되어야 하는가? 위의 토픽 산정에 두 값이 모두 필요합니다."),
            new("Who runs Kafka (a managed service or an in-house cluster), with which security and monitoring?",
                "Kafka는 누가 운영하는가(매니지드 서비스 또는 자체 클러스터), 보안과 모니터링은 어떻게 하는가?"),
            new("How do users learn the outcome: the status URL polled by the page, a notification, or both? Who handles reports that end `Failed`?",
                "사용자는 결과를 어떻게 알게 되는가(화면이 상태 URL을 폴링, 알림, 또는 둘 다)? `Failed`로 끝난 보고서는 누가 처리하는가?"),
            new("Does anything depend on the order of different reports? Kafka keeps order per key (here: per report), not across reports.",
                "서로 다른 보고서 사이의 순서에 의존하는 업무가 있는가? Kafka는 키(여기서는 보고서) 단위로만 순서를 보장합니다."),
            new("How long must reports and messages be kept, and may their content leave the current system's database?",
                "보고서와 메시지는 얼마 동안 보관해야 하며, 그 내용이 현재 시스템의 DB 밖으로 나가도 되는가?"),
        ]);
    }
}
