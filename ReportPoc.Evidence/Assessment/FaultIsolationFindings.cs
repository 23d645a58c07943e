using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Assessment;

/// <summary>
/// "The Api is unaffected by faults" as a rule that can fail: during each fault of the full drill, the Api's own p99
/// and error rate against the calm phase. The drill's size and LP profile are conditions already: a reduced drill or a
/// gentler LP never reaches these rules (InputAdmission refuses the record).
/// </summary>
public static class FaultIsolationFindings
{
    public static readonly IReadOnlyList<(DrillPhase Phase, Text Name)> Faults =
    [
        (DrillPhase.LpOutage, new("LP outage", "LP 장애")),
        (DrillPhase.DatabaseOutage, new("PostgreSQL outage", "PostgreSQL 장애")),
        (DrillPhase.ProcessorFaults, new("processor faults (kills, stop and start, freeze)", "Processor 장애(강제 종료·중지·정지)")),
        (DrillPhase.BrokerOutage, new("broker outages", "브로커 장애")),
    ];

    public static Text Asks(Text fault) => new(
        $"the Api during the drill's {fault.En}: p99 ≤ max({Number(Yardsticks.FaultP99OverCalm, "F0")}× calm, calm + {Ms(Yardsticks.FaultP99SlackMs)} ms), error rate ≤ calm + {Percent(Yardsticks.FaultErrorRateSlack)}",
        $"드릴의 {fault.Ko} 동안 API: p99 ≤ max(평상시 × {Number(Yardsticks.FaultP99OverCalm, "F0")}, 평상시 + {Ms(Yardsticks.FaultP99SlackMs)} ms), 오류율 ≤ 평상시 + {Percent(Yardsticks.FaultErrorRateSlack)}");

    /// <summary>One criterion per fault; each reads "not measured" when the record has no figures for it or for the calm phase.</summary>
    public static IReadOnlyList<Criterion> ApiDuringFaults(ApiDuringFaults? api, Text missing)
    {
        var calm = api?.Of(DrillPhase.Calm);
        return Faults.Select(fault =>
        {
            var asks = Asks(fault.Name);
            if (api is null || api.Problem is not null)
            {
                return Criterion.Unmeasured(asks, api?.Problem ?? missing);
            }

            if (calm is null || calm.Requests == 0 || api.Of(fault.Phase) is not { Requests: > 0 } during)
            {
                return Criterion.Unmeasured(asks, new Text($"not measured in this run: the drill's record has no Api figures for the {(calm is null ? "calm phase" : fault.Name.En)}",
                    $"이번 실행에서 측정되지 않음: 드릴 기록에 {(calm is null ? "평상시 구간" : fault.Name.Ko)}의 API 수치가 없음"));
            }

            return Judge(asks, calm, during);
        }).ToList();
    }

    public static Criterion Judge(Text asks, ApiPhase calm, ApiPhase during)
    {
        var p99Bound = Math.Max(Yardsticks.FaultP99OverCalm * calm.P99Ms, calm.P99Ms + Yardsticks.FaultP99SlackMs);
        var met = during.P99Ms <= p99Bound && during.ErrorRate <= calm.ErrorRate + Yardsticks.FaultErrorRateSlack;
        // A refusal by design (503 with Retry-After) is not an error, but nothing was accepted: the reader sees how many.
        var refusedEn = during.Refused > 0 ? $"; {Count(during.Refused)} refused by design (503 with Retry-After, nothing accepted)" : "";
        var refusedKo = during.Refused > 0 ? $"; 설계대로 거절 {Count(during.Refused)}건 (503 + Retry-After, 접수 없음)" : "";
        return new Criterion(asks,
            new Text($"p99 {Ms(during.P99Ms)} ms vs calm {Ms(calm.P99Ms)} ms (bound {Ms(p99Bound)} ms); errors {Count(during.Errors)} of {Count(during.Requests)} = {Percent(during.ErrorRate)} vs calm {Percent(calm.ErrorRate)}{refusedEn}",
                $"p99 {Ms(during.P99Ms)} ms, 평상시 {Ms(calm.P99Ms)} ms (상한 {Ms(p99Bound)} ms); 오류 {Count(during.Requests)}건 중 {Count(during.Errors)}건 = {Percent(during.ErrorRate)}, 평상시 {Percent(calm.ErrorRate)}{refusedKo}"),
            met);
    }
}
