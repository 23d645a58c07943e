using ReportPoc.Chaos.Results;
using ReportPoc.Chaos.Submissions;

namespace ReportPoc.UnitTests.Chaos;

/// <summary>The drill's count of the Api's answers per phase: attributed by when an attempt was sent, summarised per phase.</summary>
public sealed class ApiAnswersTests
{
    [Fact]
    public void AnAttemptCountsInThePhaseItWasSentInAndNotOutsideAnyPhase()
    {
        var answers = new ApiAnswers();
        string? sentCalm;
        using (answers.During(DrillPhases.Calm))
        {
            sentCalm = answers.Phase;
        }

        var sentBetween = answers.Phase;
        string? sentInOutage;
        using (answers.During(DrillPhases.LpOutage))
        {
            sentInOutage = answers.Phase;
        }

        // Answered after their phase ended: they still count where they were sent.
        answers.Record(sentCalm, TimeSpan.FromMilliseconds(4), AnswerKind.Accepted);
        answers.Record(sentBetween, TimeSpan.FromMilliseconds(900), AnswerKind.Error);
        answers.Record(sentInOutage, TimeSpan.FromMilliseconds(6), AnswerKind.Accepted);

        Assert.Null(sentBetween);
        Assert.Equal([DrillPhases.Calm, DrillPhases.LpOutage], answers.Figures().Select(figures => figures.Phase));
        Assert.Equal(2, answers.Figures().Sum(figures => figures.Requests)); // the attempt sent between phases counts nowhere
        Assert.All(answers.Figures(), figures => Assert.Equal(0, figures.Errors));
    }

    [Fact]
    public void EachPhaseCountsErrorsAndRefusalsApartAndItsPercentilesByNearestRank()
    {
        var answers = new ApiAnswers();
        using (answers.During(DrillPhases.BrokerOutage))
        {
            for (var ms = 1; ms <= 100; ms++)
            {
                var kind = ms <= 90 ? AnswerKind.Accepted : ms <= 98 ? AnswerKind.Refused : AnswerKind.Error;
                answers.Record(answers.Phase, TimeSpan.FromMilliseconds(ms), kind);
            }
        }

        var figures = Assert.Single(answers.Figures());
        Assert.Equal(new ApiPhaseFigures(DrillPhases.BrokerOutage, Requests: 100, Errors: 2, Refused: 8, P50Ms: 50, P99Ms: 99), figures);
    }

    [Theory]
    [InlineData(new double[] { 7 }, 99, 7)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 99, 4)]
    public void PercentilesAreNearestRank(double[] sorted, double percent, double expected) =>
        Assert.Equal(expected, ApiAnswers.Percentile(sorted, percent));
}
