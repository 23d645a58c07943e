using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;
using static ReportPoc.Evidence.Writing.Format;

namespace ReportPoc.Evidence.Sections;

/// <summary>Every test class of the run with its results: the detail behind the goals' test criteria.</summary>
public sealed class TestClassesAppendix(EvidenceInputs inputs) : IReportSection
{
    public void Write(ReportDocument document)
    {
        document.Heading(2, "Appendix: the test run by class", "부록: 클래스별 테스트 결과");
        if (inputs.Tests.Value is not { } run)
        {
            document.Paragraph(new Text($"No test run: {GoalWriting.Reason(inputs.Tests).En}.", $"테스트 실행 결과가 없습니다 ({GoalWriting.Reason(inputs.Tests).Ko})."));
            return;
        }

        document.Table(
            [new("project", "프로젝트"), new("class", "클래스"), new("passed", "통과"), new("failed", "실패"), new("skipped", "건너뜀"), new("time", "시간")],
            run.Classes.Select(result => (IReadOnlyList<Text>)
            [
                Text.Same(result.Project), Text.Same($"`{result.Name}`"), Text.Same(Count(result.Passed)),
                Text.Same(result.Failed > 0 ? $"**{Count(result.Failed)}**" : Count(result.Failed)), Text.Same(Count(result.Skipped)), Text.Same(Seconds(result.Duration)),
            ]),
            "|---|---|---:|---:|---:|---:|");
    }
}
