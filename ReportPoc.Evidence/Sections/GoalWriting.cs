using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Provenance;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>What every goal section writes the same way: the verdict with its criteria, and the tests behind the goal.</summary>
internal static class GoalWriting
{
    /// <summary>A goal section's opening: its heading (the section's number, the goal's) and its verdict with the criteria.</summary>
    public static void Opening(ReportDocument document, int section, GoalAssessment goal, EvidenceRun? run)
    {
        document.Heading(2, $"{section}. Verification {goal.Number}: {goal.Title.En}", $"{section}. 검증 {goal.Number}: {goal.Title.Ko}");
        Verdict(document, goal);
        document.Paragraph(run is null
            ? new Text("From no recorded evidence run: nothing above is measured.", "기록된 증거 실행 없음: 위 항목은 측정되지 않았습니다.")
            : new Text($"From the evidence run of commit `{run.ShortCommit}` started {Format.Time(run.StartedAt)}; a criterion whose input that run did not record for its commit reads \"not measured\".",
                $"커밋 `{run.ShortCommit}`의 증거 실행({Format.Time(run.StartedAt)} 시작) 결과입니다. 그 실행이 이 커밋에 대해 기록하지 않은 입력에 근거한 기준은 \"측정 안 됨\"으로 표시합니다."));
    }

    private static void Verdict(ReportDocument document, GoalAssessment goal)
    {
        document.Paragraph(new Text($"**Verdict: {VerdictText.Of(goal.Verdict).En}** — {goal.Headline.En}", $"**판정: {VerdictText.Of(goal.Verdict).Ko}** — {goal.Headline.Ko}"));
        document.Table(
            [new("criterion", "기준"), new("measured", "측정값"), new("verdict", "판정")],
            goal.Criteria.Select(criterion => (IReadOnlyList<Text>)[criterion.Asks, criterion.Measured, VerdictText.Of(criterion.Verdict)]));
    }

    /// <summary>Why a criterion has no figure: which input is missing, and where it was looked for.</summary>
    public static Text Missing<T>(Input<T> input) where T : class =>
        new($"no input: {Reason(input).En}", $"입력 없음 ({Reason(input).Ko})");

    /// <summary>Where an input was looked for and what was wrong with it, for a sentence that already says what is missing.</summary>
    public static Text Reason<T>(Input<T> input) where T : class =>
        new($"`{input.Path}` {input.Problem?.En}", $"`{input.Path}`: {input.Problem?.Ko}");

    /// <summary>The goal's test classes all ran and passed.</summary>
    public static Criterion Tests(Input<TestRun> tests, IReadOnlyList<Guarantee> guarantees)
    {
        var asks = new Text("the test classes showing this behaviour pass (test run)", "이 동작을 보여 주는 테스트 클래스가 모두 통과 (테스트 실행)");
        if (tests.Value is not { } run)
        {
            return Criterion.Unmeasured(asks, Missing(tests));
        }

        var names = guarantees.SelectMany(guarantee => guarantee.TestClasses).Distinct().ToList();
        var results = names.SelectMany(run.Named).ToList();
        // A class whose tests were all skipped showed nothing: it counts as not in the run.
        var absent = names.Where(name => run.Named(name).Sum(result => result.Passed + result.Failed) == 0).ToList();
        var passed = results.Sum(result => result.Passed);
        var failed = results.Sum(result => result.Failed);
        var total = results.Sum(result => result.Tests);
        var measured = new Text(
            $"{Format.Count(passed)} of {Format.Count(total)} tests passed, {Format.Count(failed)} failed, in {Format.Count(results.Count)} classes",
            $"{Format.Count(results.Count)}개 클래스의 테스트 {Format.Count(total)}개 중 {Format.Count(passed)}개 통과, {Format.Count(failed)}개 실패");
        if (absent.Count > 0)
        {
            var list = string.Join(", ", absent.Select(name => $"`{name}`"));
            measured = new Text($"{measured.En}; not in the run: {list}", $"{measured.Ko}; 실행 결과에 없음: {list}");
        }

        return new Criterion(asks, measured, total > 0 && failed == 0 && absent.Count == 0);
    }

    /// <summary>Each guarantee with its test classes and what they did in the run.</summary>
    public static void GuaranteeTable(ReportDocument document, Input<TestRun> tests, IReadOnlyList<Guarantee> guarantees)
    {
        document.Table(
            [new("situation", "상황"), new("what happens", "결과"), new("shown by", "검증 테스트"), new("test run", "테스트 결과")],
            guarantees.Select(guarantee => (IReadOnlyList<Text>)
            [
                guarantee.Situation,
                guarantee.Outcome,
                Text.Same(string.Join(", ", guarantee.TestClasses.Select(name => $"`{name}`"))),
                tests.Value is { } run ? Outcome(guarantee.TestClasses.SelectMany(run.Named).ToList()) : new Text("no test run", "테스트 실행 결과 없음"),
            ]));
    }

    private static Text Outcome(IReadOnlyList<TestClassResult> results)
    {
        if (results.Count == 0)
        {
            return new Text("not in the run", "실행 결과에 없음");
        }

        var passed = results.Sum(result => result.Passed);
        var failed = results.Sum(result => result.Failed);
        var total = results.Sum(result => result.Tests);
        var time = Format.Seconds(results.Aggregate(TimeSpan.Zero, (sum, result) => sum + result.Duration));
        return failed == 0
            ? new Text($"{passed}/{total} passed ({time})", $"{passed}/{total} 통과 ({time})")
            : new Text($"**{failed} failed**, {passed}/{total} passed ({time})", $"**{failed}개 실패**, {passed}/{total} 통과 ({time})");
    }
}
