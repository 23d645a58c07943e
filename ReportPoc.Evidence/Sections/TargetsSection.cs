using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>Every target of every round with met or missed (<see cref="Targets"/>): the misses beside the hits.</summary>
public sealed class TargetsSection(EvidenceInputs inputs) : IReportSection
{
    public IReadOnlyList<TargetRow> Rows { get; } = Targets.All(inputs.Benchmark, inputs.Accept, inputs.Pickup, inputs.Soak, inputs.Outcomes);

    public void Write(ReportDocument document)
    {
        document.Heading(2, "6. Every target of every round", "6. 모든 차수의 모든 목표");
        var met = Rows.Count(row => row.Met is true);
        var missed = Rows.Count(row => row.Met is false);
        var unmeasured = Rows.Count(row => row.Met is null);
        document.Paragraph(
            $"The targets each performance round set (issues 5, 13 and 22), computed from this run's inputs: {met} met, {missed} missed, {unmeasured} not measured in this run.",
            $"각 성능 개선 차수(이슈 5, 13, 22)가 정한 목표를 이번 실행의 입력으로 계산했습니다: 충족 {met}개, 미충족 {missed}개, 이번 실행에서 측정되지 않음 {unmeasured}개.");
        document.Table(
            [new("round", "차수"), new("target", "목표"), new("measured", "측정값"), new("verdict", "판정")],
            Rows.Select(row => (IReadOnlyList<Text>)[row.Round, row.Target, row.Measured, VerdictText.Of(new Criterion(row.Target, row.Measured, row.Met).Verdict)]));
    }
}
