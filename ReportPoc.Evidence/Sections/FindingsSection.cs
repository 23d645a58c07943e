using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Scale;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>What a reader would not expect: the ceilings behind the consumer count, and what the project learned about Kafka clients.</summary>
public sealed class FindingsSection(EvidenceInputs inputs) : IReportSection
{
    public void Write(ReportDocument document)
    {
        document.Heading(2, "7. Findings a reader would not expect", "7. 예상하기 어려운 발견");
        var results = inputs.Benchmark.Value?.Results;
        var runs = results?.Processor.Where(run => run.Instances > 0).ToList() ?? [];
        document.Bullets([LpIsTheCeiling(runs), PartitionsCap(runs), InFlight(runs), SyncPathThreads(), .. Pickup(), AdminAbort(), UnknownOutcome()]);
    }

    private Text LpIsTheCeiling(List<ProcessorResult> runs)
    {
        var bound = Pair(runs, lpBound: true);
        var unbounded = Pair(runs, lpBound: false);
        if (bound is not var (boundOne, boundTwo) || unbounded is not var (one, two))
        {
            return new Text($"**LP's capacity, not the consumer count, is the ceiling** until it is raised — not measured in these inputs ({Absent().En}).",
                $"**LP 용량을 올리기 전까지는 컨슈머 수가 아니라 LP 용량이 상한입니다** — 이번 입력에는 측정이 없습니다 ({Absent().Ko}).");
        }

        return new Text(
            $"**LP's capacity, not the consumer count, is the ceiling until it is raised.** With LP at capacity {boundOne.LpCapacity}, a second processor instance took throughput from "
            + $"{Rate(boundOne.SteadyPerSecond)} to {Rate(boundTwo.SteadyPerSecond)} reports/s ({Times(boundTwo.SteadyPerSecond / boundOne.SteadyPerSecond)}): LP finishes at most {Rate(boundOne.LpLimitPerSecond)}/s. "
            + $"Only with LP's capacity out of the way did it pay: {Rate(one.SteadyPerSecond)} → {Rate(two.SteadyPerSecond)}/s ({Times(two.SteadyPerSecond / one.SteadyPerSecond)}). "
            + "Adding consumers helps only once LP can take more at once, and then LP's capacity has to grow with them.",
            $"**LP 용량을 올리기 전까지는 컨슈머 수가 아니라 LP 용량이 상한입니다.** LP 용량이 {boundOne.LpCapacity}일 때 Processor 인스턴스를 하나 더해도 처리량은 초당 "
            + $"{Rate(boundOne.SteadyPerSecond)}건에서 {Rate(boundTwo.SteadyPerSecond)}건({Times(boundTwo.SteadyPerSecond / boundOne.SteadyPerSecond)})이었습니다. LP가 초당 최대 {Rate(boundOne.LpLimitPerSecond)}건만 처리하기 때문입니다. "
            + $"LP 용량 제약을 없앴을 때에만 효과가 있었습니다: 초당 {Rate(one.SteadyPerSecond)} → {Rate(two.SteadyPerSecond)}건({Times(two.SteadyPerSecond / one.SteadyPerSecond)}). "
            + "컨슈머 추가는 LP가 동시에 더 많이 처리할 수 있을 때만 의미가 있으며, 그때는 LP 용량도 함께 늘려야 합니다.");
    }

    private Text PartitionsCap(List<ProcessorResult> runs)
    {
        if (runs.Select(run => run.Partitions).DefaultIfEmpty(0).Max() is var partitions && partitions == 0)
        {
            return new Text($"**The partition count caps the consumers** — the partition count is not in these inputs ({Absent().En}).",
                $"**파티션 수가 컨슈머 수의 상한입니다** — 이번 입력에는 파티션 수가 없습니다 ({Absent().Ko}).");
        }

        return new Text(
            $"**The partition count caps the consumers.** `reports.submitted` has {partitions} partitions and Kafka gives each partition to exactly one member of the consumer group, so instance {partitions + 1} "
            + "would own nothing and idle. The count has to be chosen up front for the most consumers ever run: adding partitions later moves keys to other partitions, and with them the order per key.",
            $"**파티션 수가 컨슈머 수의 상한입니다.** `reports.submitted`의 파티션은 {partitions}개이고 Kafka는 파티션 하나를 컨슈머 그룹의 한 멤버에게만 할당하므로, {partitions + 1}번째 인스턴스는 "
            + "받을 파티션이 없어 유휴 상태가 됩니다. 파티션 수는 앞으로 운영할 최대 컨슈머 수를 기준으로 미리 정해야 합니다. 나중에 파티션을 늘리면 키가 다른 파티션으로 옮겨 가고, 키별 순서도 함께 흔들립니다.");
    }

    private Text InFlight(List<ProcessorResult> runs)
    {
        var lp = inputs.Benchmark.Value?.Results.LpProfile;
        if (runs.FirstOrDefault(run => !run.LpBound && run.Instances == 1) is not { } alone || lp is null)
        {
            return new Text($"**One consumer works on many reports at once** — not measured in these inputs ({Absent().En}).",
                $"**컨슈머 하나가 여러 보고서를 동시에 처리합니다** — 이번 입력에는 측정이 없습니다 ({Absent().Ko}).");
        }

        var oneAtATime = 1000.0 / (lp.SetQueueLatencyMs + lp.LpRunLatencyMs);
        return new Text(
            $"**One consumer works on many reports at once.** Taking one message at a time, a processor would finish at most 1 ÷ (setQueue + LPRUN) = {Rate(oneAtATime)} reports/s; "
            + $"it keeps up to {alone.ProcessorInFlightLimit} reports in flight (in key order per report, offsets committed only up to the first unfinished one) and finished {Rate(alone.SteadyPerSecond)}/s alone with LP's capacity out of the way.",
            $"**컨슈머 하나가 여러 보고서를 동시에 처리합니다.** 메시지를 하나씩 처리한다면 Processor는 초당 최대 1 ÷ (setQueue + LPRUN) = {Rate(oneAtATime)}건밖에 처리하지 못합니다. "
            + $"이 PoC의 Processor는 최대 {alone.ProcessorInFlightLimit}건을 동시에 처리하며(보고서 키 순서는 유지하고, 오프셋은 끝나지 않은 첫 메시지 직전까지만 커밋), LP 용량 제약이 없을 때 단독으로 초당 {Rate(alone.SteadyPerSecond)}건을 처리했습니다.");
    }

    private Text SyncPathThreads()
    {
        const string WhyNot = "The sync endpoint awaits its database and LP calls (asynchronous I/O), so the as-is cost is the users' wait (section 3), not exhausted server threads.";
        const string WhyNotKo = "동기 엔드포인트는 DB와 LP 호출을 비동기 I/O로 기다리므로, 현행 경로의 비용은 사용자의 대기 시간(3절)이지 서버 스레드 고갈이 아닙니다.";
        var collateral = inputs.Collateral.Value;
        if (collateral?.Probe(CollateralRun.Idle, CollateralRun.StatusRead) is not { } idle
            || collateral.Probe(CollateralRun.SyncPath, CollateralRun.StatusRead) is not { } sync
            || collateral.Probe(CollateralRun.Idle, CollateralRun.AsIsStatusRead) is not { } asIsIdle
            || collateral.Probe(CollateralRun.AsIsEmulation, CollateralRun.AsIsStatusRead) is not { } asIs
            || collateral.Probe(CollateralRun.AsyncPath, CollateralRun.StatusRead) is not { } async)
        {
            var missing = GoalWriting.Missing(inputs.Collateral);
            return new Text(
                $"**In .NET the as-is path does not hold a thread while it waits.** {WhyNot} A server with a thread per request, as `POST /SAVE` may run on, would also run out of request threads under the same load; "
                + $"what that costs other requests is not in these inputs ({missing.En}).",
                $"**.NET에서는 현행(as-is) 경로도 기다리는 동안 스레드를 붙잡지 않습니다.** {WhyNotKo} 요청마다 스레드 하나를 쓰는 서버라면 같은 부하에서 요청 스레드가 바닥날 수 있지만, "
                + $"그것이 다른 요청에 주는 영향은 이번 입력에 없습니다 ({missing.Ko}).");
        }

        static string Times(ProbeResult under, ProbeResult baseline) => Number(under.Latency.P99Ms / baseline.Latency.P99Ms) + "×";
        var clients = collateral.Concurrency;
        var asyncRate = collateral.Conditions.First(condition => condition.Condition == CollateralRun.AsyncPath).Load?.Throughput ?? double.NaN;
        return new Text(
            $"**The as-is path's load slows other requests only on a thread-per-request server.** A status read sent {Number(collateral.ProbeRate, "F0")} times a second answered with p99 {Ms(idle.Latency.P99Ms)} ms on the idle system "
            + $"and {Ms(sync.Latency.P99Ms)} ms ({Times(sync, idle)}) while {clients} clients used the sync path. {WhyNot} "
            + $"The benchmark's emulation of a thread-per-request server (a bounded pool of request threads making blocking calls, as `POST /SAVE`'s server may have) under the same load made the same read wait "
            + $"p99 {Ms(asIs.Latency.P99Ms)} ms ({Times(asIs, asIsIdle)} its idle {Ms(asIsIdle.Latency.P99Ms)} ms): it queued behind the slow submissions. "
            + $"Under the async path's load ({Rate(asyncRate)} accepted/s) it was {Ms(async.Latency.P99Ms)} ms ({Times(async, idle)}): the cores are shared, nothing queues behind LP.",
            $"**현행 경로의 부하가 다른 요청까지 느리게 만드는 것은 요청마다 스레드를 쓰는 서버에서뿐입니다.** 초당 {Number(collateral.ProbeRate, "F0")}회 보낸 상태 조회의 p99는 유휴 시스템에서 {Ms(idle.Latency.P99Ms)} ms, "
            + $"클라이언트 {clients}개가 동기 경로를 쓰는 동안 {Ms(sync.Latency.P99Ms)} ms ({Times(sync, idle)})였습니다. {WhyNotKo} "
            + $"벤치마크의 thread-per-request 서버 모사(정해진 수의 요청 스레드가 블로킹 호출을 하는 구조로, `POST /SAVE`의 서버가 이럴 수 있습니다)에서는 같은 부하에서 같은 조회가 "
            + $"p99 {Ms(asIs.Latency.P99Ms)} ms (유휴 시 {Ms(asIsIdle.Latency.P99Ms)} ms의 {Times(asIs, asIsIdle)})를 기다렸습니다. 느린 제출 요청 뒤에 줄을 섰기 때문입니다. "
            + $"비동기 경로의 부하(초당 {Rate(asyncRate)}건 접수)에서는 {Ms(async.Latency.P99Ms)} ms ({Times(async, idle)})였습니다. 코어를 나눠 쓸 뿐, LP를 기다리는 요청 뒤에 줄을 서지는 않습니다.");
    }

    private IEnumerable<Text> Pickup()
    {
        if (inputs.Benchmark.Value?.Results.Completion.FirstOrDefault() is not { Pickup.Count: > 0 } probe)
        {
            yield break;
        }

        yield return new Text(
            $"**Accepted is not yet picked up.** Of the accept → Completed time, the part until a processor starts the report (pickup) was {Ms(probe.Pickup.P50Ms)} ms at the median and {Ms(probe.Pickup.P99Ms)} ms at p99 "
            + $"at {Number(probe.OfferedPerSecond)} reports/s. It depends on how long the consumer's fetch waits and on the broker; against the dev broker, which does not wake a waiting fetch, local mode lowers that wait.",
            $"**접수되었다고 바로 처리가 시작되지는 않습니다.** 접수 → 완료 시간 중 Processor가 보고서를 처리를 시작하기까지의 시간(pickup)은 초당 {Number(probe.OfferedPerSecond)}건에서 "
            + $"중앙값 {Ms(probe.Pickup.P50Ms)} ms, p99 {Ms(probe.Pickup.P99Ms)} ms였습니다. 이 시간은 컨슈머의 fetch 대기 시간과 브로커에 따라 달라지며, 대기 중인 fetch를 깨우지 않는 개발용 브로커에 맞춰 로컬 모드에서는 그 대기 시간을 줄였습니다.");
    }

    private static Text AdminAbort() => new(
        "**A librdkafka bug could kill the API after a broker outage — found and avoided.** The backlog figure once read the consumer group's offsets through the admin API (`ListConsumerGroupOffsets`). "
        + "In librdkafka, a request to a group coordinator that times out before the coordinator is reachable releases its reference twice once it is reached, and the process aborts; "
        + "any broker outage arranges that. The API now reads committed offsets through a consumer of the group that never joins it (`BacklogProbe`), and `BrokerOutageTests` takes the broker down again and again, reading the backlog during and after each outage.",
        "**librdkafka 버그로 브로커 장애 후 API가 종료될 수 있었으나, 발견해서 피했습니다.** 백로그 수치를 한때 관리 API(`ListConsumerGroupOffsets`)로 컨슈머 그룹 오프셋을 읽어 계산했습니다. "
        + "librdkafka에서는 그룹 코디네이터에 닿기 전에 타임아웃된 요청이 코디네이터에 닿는 순간 참조를 두 번 해제해 프로세스가 abort되며, 브로커 장애가 한 번만 있어도 이 상황이 생깁니다. "
        + "지금 API는 그룹에 참여하지 않는 컨슈머로 커밋된 오프셋을 읽고(`BacklogProbe`), `BrokerOutageTests`가 브로커를 여러 번 연달아 내렸다 올리며 장애 중과 장애 후에 백로그를 읽어 확인합니다.");

    private static Text UnknownOutcome() => new(
        "**A delivery timeout cannot say whether the message landed.** librdkafka reports a timed-out message as \"not persisted\" even when the broker did store it (seen against a broker answering late). "
        + "So when the broker does not confirm in time, the API never answers `202` and never claims \"nothing was accepted\": it answers `503` \"outcome unknown\" with the report's status URL. "
        + "Sending again with the same `Idempotency-Key` is safe (same report id, processed once); **without a key, a retry may create a second report** — which is why clients must send keys.",
        "**전송 타임아웃만으로는 메시지가 실제로 저장됐는지 알 수 없습니다.** librdkafka는 브로커가 메시지를 저장했더라도 시간 안에 확인이 오지 않으면 \"저장되지 않음\"으로 보고합니다(늦게 응답하는 브로커에서 확인). "
        + "그래서 브로커 확인이 제때 오지 않으면 API는 `202`도, \"접수되지 않음\"도 답하지 않고, 보고서의 상태 URL과 함께 `503` \"outcome unknown\"으로 응답합니다. "
        + "같은 `Idempotency-Key`로 다시 보내면 안전하지만(같은 보고서 ID, 한 번만 처리), **키 없이 재시도하면 보고서가 두 건 생길 수 있습니다.** 클라이언트가 키를 보내야 하는 이유입니다.");

    private static (ProcessorResult One, ProcessorResult Two)? Pair(List<ProcessorResult> runs, bool lpBound) =>
        (runs.FirstOrDefault(run => run.LpBound == lpBound && run.Instances == 1), runs.FirstOrDefault(run => run.LpBound == lpBound && run.Instances == 2)) is ({ } one, { } two)
            ? (one, two)
            : null;

    private Text Absent() => inputs.Benchmark.Value is null
        ? GoalWriting.Missing(inputs.Benchmark)
        : new Text("the benchmark results hold no such bursts", "벤치마크 결과에 해당 측정이 없음");
}
