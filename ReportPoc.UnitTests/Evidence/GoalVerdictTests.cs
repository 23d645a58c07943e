using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>A goal's verdict follows from its criteria alone: a missing input never reads as met, one miss is not met.</summary>
public sealed class GoalVerdictTests
{
    [Theory]
    [InlineData(new[] { true, true }, Verdict.Met)]
    [InlineData(new[] { true, false }, Verdict.NotMet)]
    [InlineData(new[] { true, true, false }, Verdict.NotMet)]
    public void EveryCriterionMeasured(bool[] met, Verdict expected) =>
        Assert.Equal(expected, Goal([.. met.Select(value => (bool?)value)]).Verdict);

    [Fact]
    public void AMissingInputMakesAMetGoalMetOnlyWhereMeasured() =>
        Assert.Equal(Verdict.MetWhereMeasured, Goal([true, null]).Verdict);

    [Fact]
    public void AMissNotMetEvenWhenAnotherInputIsMissing() =>
        Assert.Equal(Verdict.NotMet, Goal([false, null]).Verdict);

    [Fact]
    public void NoInputAtAllIsNotMeasured() =>
        Assert.Equal(Verdict.NotMeasured, Goal([null, null]).Verdict);

    [Fact]
    public void ANotMetGoalsOneLineNamesTheCriteriaItMissed()
    {
        var summary = Goal([true, false, null, false]).Summary;

        Assert.Equal("headline; **not met:** criterion 1; criterion 3", summary.En);
    }

    [Fact]
    public void AMetGoalsOneLineIsItsHeadline() =>
        Assert.Equal("headline", Goal([true, null]).Summary.En);

    private static GoalAssessment Goal(bool?[] met) => new(1, Text.Same("goal"), Text.Same("headline"),
        [.. met.Select((value, i) => new Criterion(Text.Same($"criterion {i}"), Text.Same("measured"), value))]);
}
