using ReportPoc.Benchmark.Scale;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Assessment;

/// <summary>
/// The two scalability findings, as rules that can fail. LP-bound: what more consumers buy with LP at its configured
/// capacity — honestly about nothing, and the finding is whether the system is bounded by LP (one instance keeps LP
/// busy, a second adds little), not whether more instances help. Consumer-bound: with LP out of the way, what a second
/// instance adds against a stated ratio.
/// </summary>
public static class ScalabilityFindings
{
    public static readonly Text AsksLpBound = new(
        $"LP-bound (LP at its configured capacity): one instance completes ≥ {Percent(Yardsticks.ProcessorOverLpLimit)} of LP's limit and a second adds less than {Times(Yardsticks.LpBoundGainBelow)} — the system is bounded by LP, so more consumers buy no throughput",
        $"LP 병목(LP 용량 그대로): 인스턴스 하나가 LP 한도의 {Percent(Yardsticks.ProcessorOverLpLimit)} 이상을 처리하고, 둘째 인스턴스는 {Number(Yardsticks.LpBoundGainBelow, "F2")}배 미만을 더함 — 시스템의 한계는 LP이며 Processor를 늘려도 처리량은 늘지 않음");

    public static readonly Text AsksConsumerBound = new(
        $"consumer-bound (LP's capacity out of the way): 2 instances complete ≥ {Times(Yardsticks.TwoOverOneInstances)} what 1 does",
        $"Processor 병목(LP 용량 제약 없음): 인스턴스 2개가 1개 대비 {Number(Yardsticks.TwoOverOneInstances, "F2")}배 이상을 처리");

    /// <param name="one">The LP-bound burst with one instance, or null when the results hold none.</param>
    /// <param name="two">The LP-bound burst with two instances.</param>
    /// <param name="missing">Why there is no figure when a burst is absent.</param>
    public static Criterion LpBound(ProcessorResult? one, ProcessorResult? two, Text missing)
    {
        if (one is null || two is null || one.SteadyPerSecond <= 0)
        {
            return Criterion.Unmeasured(AsksLpBound, missing);
        }

        var gain = two.SteadyPerSecond / one.SteadyPerSecond;
        return new Criterion(AsksLpBound,
            new Text($"1 instance {Rate(one.SteadyPerSecond)} reports/s = {Percent(one.OfLpLimit)} of LP's {Rate(one.LpLimitPerSecond)}/s; 2 instances {Rate(two.SteadyPerSecond)}/s = {Times(gain)}",
                $"인스턴스 1개 {Rate(one.SteadyPerSecond)}건/초 = LP 한도 {Rate(one.LpLimitPerSecond)}건/초 대비 {Percent(one.OfLpLimit)}; 인스턴스 2개 {Rate(two.SteadyPerSecond)}건/초 = {Number(gain, "F2")}배"),
            one.OfLpLimit >= Yardsticks.ProcessorOverLpLimit && gain < Yardsticks.LpBoundGainBelow);
    }

    /// <param name="one">The burst with one instance and LP's capacity out of the way.</param>
    /// <param name="two">The same with two instances.</param>
    public static Criterion ConsumerBound(ProcessorResult? one, ProcessorResult? two, Text missing)
    {
        if (one is null || two is null || one.SteadyPerSecond <= 0)
        {
            return Criterion.Unmeasured(AsksConsumerBound, missing);
        }

        var ratio = two.SteadyPerSecond / one.SteadyPerSecond;
        return new Criterion(AsksConsumerBound,
            new Text($"{Rate(two.SteadyPerSecond)} vs {Rate(one.SteadyPerSecond)} reports/s = {Times(ratio)}",
                $"{Rate(two.SteadyPerSecond)}건/초 대 {Rate(one.SteadyPerSecond)}건/초 = {Number(ratio, "F2")}배"),
            ratio >= Yardsticks.TwoOverOneInstances);
    }
}
