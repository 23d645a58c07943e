using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Scale;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>
/// Verification 3: more processor instances raise throughput — until LP's capacity, the machine's cores or the partition
/// count stop them, which the PoC must show as plainly (the benchmark's processor bursts and scale curve).
/// </summary>
public sealed class ScalabilityGoal(EvidenceInputs inputs) : IGoalSection
{
    public GoalAssessment Assessment { get; } = Assess(inputs);

    private static GoalAssessment Assess(EvidenceInputs inputs)
    {
        var title = new Text("Scalability", "확장성");
        var tests = GoalWriting.Tests(inputs.Tests, Guarantees.Scalability);
        if (inputs.Benchmark.Value is not { Results: var results, Curve: var curve })
        {
            var missing = GoalWriting.Missing(inputs.Benchmark);
            return new GoalAssessment(3, title, new Text("no benchmark results", "벤치마크 결과 없음"),
                [ScalabilityFindings.LpBound(null, null, missing), ScalabilityFindings.ConsumerBound(null, null, missing), tests]);
        }

        var notInResults = new Text("not measured in this run: no such burst in the benchmark results", "이번 실행에서 측정되지 않음: 벤치마크 결과에 해당 측정이 없음");
        var lpBound = Runs(results.Processor, lpBound: true);
        var unbounded = Runs(results.Processor, lpBound: false);
        var one = lpBound.FirstOrDefault(run => run.Instances == 1);
        var lp = ScalabilityFindings.LpBound(one, lpBound.FirstOrDefault(run => run.Instances == 2), notInResults);
        var scale = ScalabilityFindings.ConsumerBound(unbounded.FirstOrDefault(run => run.Instances == 1), unbounded.FirstOrDefault(run => run.Instances == 2), notInResults);

        var most = curve?.Points[^1];
        var lpPart = one is null
            ? new Text("no LP-bound burst with one instance", "인스턴스 하나의 LP 병목 측정 없음")
            : new Text($"with LP at its configured capacity one processor keeps LP at {Percent(one.OfLpLimit)} of its limit, so more consumers buy no throughput",
                $"LP 용량 그대로일 때 Processor 하나로 LP 한도의 {Percent(one.OfLpLimit)}를 사용하므로, Processor 인스턴스를 늘려도 처리량은 늘지 않음");
        var curvePart = most is null
            ? new Text("no scale curve in the results", "결과에 확장 곡선 없음")
            : new Text($"with LP's capacity out of the way {most.Instances} instances complete {Rate(most.PerSecond)} reports/s ({Times(most.PerSecond / curve!.OneInstance)} one)",
                $"LP 용량 제약을 없애면 인스턴스 {most.Instances}개가 초당 {Rate(most.PerSecond)}건을 처리 (1개 대비 {Number(most.PerSecond / curve!.OneInstance, "F2")}배)");
        var headline = new Text($"{lpPart.En}; {curvePart.En}", $"{lpPart.Ko}; {curvePart.Ko}");
        return new GoalAssessment(3, title, headline, [lp, scale, tests]);
    }

    /// <summary>A figure the results hold, or a dash where they hold zero: a count or share no burst can really have measured as zero.</summary>
    private static string Known(double value, string formatted) => value > 0 ? formatted : "–";

    /// <summary>Bursts with a known instance count (a system the tool did not start may leave it unknown: 0), fewest first.</summary>
    private static List<ProcessorResult> Runs(IEnumerable<ProcessorResult> runs, bool lpBound) =>
        runs.Where(run => run.LpBound == lpBound && run.Instances > 0).OrderBy(run => run.Instances).ToList();

    public void Write(ReportDocument document)
    {
        GoalWriting.Opening(document, 5, Assessment, inputs.Run);
        if (inputs.Benchmark.Value is not { Results: var results, Curve: var curve } || results.Processor.Count == 0)
        {
            document.Paragraph(new Text($"No processor measurements: {(inputs.Benchmark.Value is null ? GoalWriting.Reason(inputs.Benchmark).En : "the benchmark results hold none")}.",
                $"Processor 측정이 없습니다: {(inputs.Benchmark.Value is null ? GoalWriting.Reason(inputs.Benchmark).Ko : "벤치마크 결과에 없음")}."));
            GoalWriting.GuaranteeTable(document, inputs.Tests, Guarantees.Scalability);
            return;
        }

        document.Paragraph(
            "How it was measured: a burst of async reports accepted at once, far more than the processors finish meanwhile; throughput is read from the reports' own completion times "
            + "over the busy middle of the burst (ramp-up and tail left out). Instances are added with the dashboard's *Add an instance* command, as a person would, and each burst starts "
            + "after the rebalance. Two LP settings: LP's default capacity (LP is the bottleneck) and LP's capacity out of the way (the processors are).",
            "측정 방법: 비동기 보고서를 한꺼번에 접수시켜 Processor가 그동안 처리할 수 있는 양보다 훨씬 많은 일을 쌓은 뒤, 보고서 자체의 완료 시각으로 처리량을 계산했습니다. "
            + "시작과 끝 구간은 제외하고 바쁜 중간 구간만 봅니다. 인스턴스는 사람이 하듯 대시보드의 *Add an instance* 명령으로 추가하고, 리밸런스가 끝난 뒤 측정을 시작했습니다. "
            + "LP 설정은 두 가지입니다: 기본 용량(LP가 병목)과 용량 제약을 없앤 LP(Processor가 병목).");
        document.Table(
            [new("LP", "LP"), new("instances", "인스턴스"), new("partitions", "파티션"), new("reports/s", "건/초"), new("of LP's limit", "LP 한도 대비"),
             new("LP runs in flight", "LP 동시 실행"), new("processor in flight / limit", "Processor 처리 중 / 한도"), new("CPU busy", "CPU 사용률"),
             new("bottleneck (Api's judgement)", "병목 (API 판정)"), new("other load", "다른 부하")],
            results.Processor.Select(run => (IReadOnlyList<Text>)
            [
                run.LpBound ? new Text($"capacity {run.LpCapacity} (bottleneck)", $"용량 {run.LpCapacity} (병목)") : new Text($"capacity {run.LpCapacity}", $"용량 {run.LpCapacity}"),
                Text.Same(Known(run.Instances, Count(run.Instances))),
                Text.Same(Known(run.Partitions, Count(run.Partitions))),
                Text.Same(Rate(run.SteadyPerSecond)),
                Text.Same(run.LpBound ? Percent(run.OfLpLimit) : "–"),
                Text.Same(Number(run.MeanLpInFlight)),
                Text.Same(Known(run.ProcessorInFlightLimit, $"{Number(run.MeanProcessorInFlight)} / {run.ProcessorInFlightLimit}")),
                Text.Same(Known(run.MeanCpuBusy, Percent(run.MeanCpuBusy))),
                Text.Same(run.Bottleneck is { } bottleneck ? $"`{bottleneck}`" : "–"),
                run.Disturbed ? new Text("seen", "있음") : new Text("none seen", "없음"),
            ]),
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        if (results.Processor.Any(run => run.Instances == 0 || run.Partitions == 0 || run.ProcessorInFlightLimit == 0 || run.MeanCpuBusy == 0))
        {
            document.Paragraph(
                "A dash marks a figure these results do not hold (an earlier version of the benchmark did not record it, or the tool measured a system it had not started); a run of the benchmark today records them all.",
                "–는 이 결과에 없는 값입니다(이전 버전의 벤치마크가 기록하지 않았거나, 벤치마크 도구가 직접 띄우지 않은 시스템을 측정한 경우). 지금 벤치마크를 실행하면 모두 기록됩니다.");
        }

        WriteCeilings(document, results.Processor, curve);
        if (curve is null)
        {
            document.Paragraph("No chart: these results hold no scale curve.", "차트 없음: 이 결과에는 확장 곡선이 없습니다.");
        }
        else
        {
            document.Chart("scalability", new Text("Processor throughput against instances, LP-bound and with LP's capacity out of the way", "인스턴스 수에 따른 Processor 처리량: LP 병목일 때와 LP 용량 제약이 없을 때"),
                language => Charts.ScaleCurveChart(curve, results.Processor, language.ForCharts()));
        }

        document.Heading(3, "What the tests show", "테스트로 확인한 동작");
        GoalWriting.GuaranteeTable(document, inputs.Tests, Guarantees.Scalability);
    }

    private static void WriteCeilings(ReportDocument document, IReadOnlyList<ProcessorResult> runs, ScaleCurve? curve)
    {
        document.Heading(3, "Where the gain stops", "처리량 증가가 멈추는 지점");
        var items = new List<Text>();
        if (Runs(runs, lpBound: true) is { Count: > 0 } lpBound)
        {
            var steps = string.Join(" → ", lpBound.Select(run => $"{run.Instances}: {Rate(run.SteadyPerSecond)}/s"));
            items.Add(new Text(
                $"**LP's capacity.** With {lpBound[0].LpCapacity} slots LP finishes at most {Rate(lpBound[0].LpLimitPerSecond)} reports/s (capacity ÷ LPRUN {lpBound[0].LpRunLatencyMs} ms). LP-bound, instances {steps}: another instance only waits for LP too.",
                $"**LP 용량.** 슬롯이 {lpBound[0].LpCapacity}개이면 LP는 초당 최대 {Rate(lpBound[0].LpLimitPerSecond)}건을 처리합니다(용량 ÷ LPRUN {lpBound[0].LpRunLatencyMs} ms). LP가 병목일 때 인스턴스 {steps}: 인스턴스를 더해도 LP를 기다릴 뿐입니다."));
        }

        if (curve is null)
        {
            items.Add(new Text("**The scale curve** (instances added one by one with LP's capacity out of the way) is not in these benchmark results.",
                "**확장 곡선**(LP 용량 제약 없이 인스턴스를 하나씩 늘려 가며 측정)은 이 벤치마크 결과에 없습니다."));
            document.Bullets(items);
            return;
        }

        var alone = Runs(runs, lpBound: false).FirstOrDefault(run => run.Instances == 1);
        items.Add(new Text(
            $"**One instance** completes {Rate(curve.OneInstance)} reports/s alone" + (alone is null ? "." : $", with {Number(alone.MeanProcessorInFlight)} of its {alone.ProcessorInFlightLimit} in-flight slots busy on average."),
            $"**인스턴스 하나**는 단독으로 초당 {Rate(curve.OneInstance)}건을 처리합니다" + (alone is null ? "." : $" (동시 처리 슬롯 {alone.ProcessorInFlightLimit}개 중 평균 {Number(alone.MeanProcessorInFlight)}개 사용).")));
        items.Add(curve.CpuSaturatedFrom is { } saturated
            ? new Text($"**The machine's {curve.Cores} cores** are at least {Percent(ScaleCurve.CpuSaturated)} busy from {saturated} instances on: the API, processors, broker, database and LP stand-in share them.",
                $"**이 머신의 코어 {curve.Cores}개**는 인스턴스 {saturated}개부터 {Percent(ScaleCurve.CpuSaturated)} 이상 사용됩니다. API, Processor, 브로커, DB, LP 모의 서버(mock)이 모두 같은 코어를 나눠 씁니다.")
            : new Text($"**The machine's {curve.Cores} cores** stayed below {Percent(ScaleCurve.CpuSaturated)} busy at every measured instance count.",
                $"**이 머신의 코어 {curve.Cores}개**는 측정한 모든 인스턴스 수에서 사용률 {Percent(ScaleCurve.CpuSaturated)} 미만이었습니다."));
        items.Add(curve.GainStopsAfter is { } after
            ? new Text($"**The gain stops** after {after} instances: an added instance brings less than {Percent(ScaleCurve.WorthwhileGain)} of what one does alone (the benchmark's verdict on the limit there: {curve.StopReason}).",
                $"**증가가 멈추는 지점**은 인스턴스 {after}개 이후입니다. 인스턴스를 하나 더해도 단독 처리량의 {Percent(ScaleCurve.WorthwhileGain)}도 늘지 않습니다 (그 지점의 한계에 대한 벤치마크 도구의 판정: {curve.StopReason}).")
            : new Text($"**The gain did not stop** within the measured instance counts: each added instance brought at least {Percent(ScaleCurve.WorthwhileGain)} of what one does alone.",
                $"측정한 인스턴스 수 안에서는 **증가가 멈추지 않았습니다**. 인스턴스를 더할 때마다 단독 처리량의 {Percent(ScaleCurve.WorthwhileGain)} 이상이 늘었습니다."));
        if (curve.Points.Where(point => point.UnevenShares(curve.Partitions)).ToList() is { Count: > 0 } uneven)
        {
            var en = string.Join("; ", uneven.Select(point => $"{Count(point.Instances)} instances: at most {Rate(point.PartitionShareBound)}/s, measured {Rate(point.PerSecond)}/s"));
            var ko = string.Join("; ", uneven.Select(point => $"인스턴스 {Count(point.Instances)}개: 최대 {Rate(point.PartitionShareBound)}건/초, 측정 {Rate(point.PerSecond)}건/초"));
            items.Add(new Text(
                $"**Uneven partition shares.** A burst spreads evenly over the {curve.Partitions} partitions, so the instance that owns the most of them sets the pace: n instances finish at most one alone × {curve.Partitions} ÷ ⌈{curve.Partitions} ÷ n⌉ ({en}). Instance counts that divide the partition count, or several times more partitions than instances, avoid it.",
                $"**파티션 배분의 불균형.** 부하는 파티션 {curve.Partitions}개에 고르게 퍼지므로 파티션을 가장 많이 가진 인스턴스가 전체 속도를 정합니다. 인스턴스 n개의 처리량은 최대 (인스턴스 하나의 처리량) × {curve.Partitions} ÷ ⌈{curve.Partitions} ÷ n⌉ 입니다 ({ko}). 인스턴스 수를 파티션 수의 약수로 맞추거나, 파티션을 인스턴스보다 몇 배 많이 두면 이 손실이 없습니다."));
        }

        items.Add(new Text(
            $"**The partition count.** `reports.submitted` has {curve.Partitions} partitions, so at most {curve.Partitions} instances share the work: instance {curve.Partitions + 1} would own no partition and add nothing.",
            $"**파티션 수.** `reports.submitted`의 파티션은 {curve.Partitions}개이므로 작업을 나눠 갖는 인스턴스는 최대 {curve.Partitions}개입니다. {curve.Partitions + 1}번째 인스턴스는 파티션을 받지 못해 아무 일도 하지 않습니다."));
        document.Bullets(items);

        document.Table(
            [new("instances", "인스턴스"), new("reports/s", "건/초"), new("per instance", "인스턴스당"), new("efficiency", "효율"),
                new("partition shares allow", "파티션 배분상 최대"), new("CPU busy", "CPU 사용률"), new("bottleneck (Api)", "병목 (API)")],
            curve.Points.Select(point => (IReadOnlyList<Text>)
            [
                Text.Same(Count(point.Instances)), Text.Same(Rate(point.PerSecond)), Text.Same(Rate(point.PerInstance)), Text.Same(Percent(point.Efficiency)),
                Text.Same(Rate(point.PartitionShareBound)), Text.Same(Percent(point.CpuBusy)), Text.Same(point.Bottleneck is { } bottleneck ? $"`{bottleneck}`" : "–"),
            ]),
            "|---:|---:|---:|---:|---:|---:|---|");
    }
}
