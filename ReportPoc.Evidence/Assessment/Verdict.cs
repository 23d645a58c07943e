using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Assessment;

public enum Verdict
{
    Met,
    NotMet,

    /// <summary>Every criterion that could be measured was met, but an input was missing for another.</summary>
    MetWhereMeasured,
    NotMeasured,
}

/// <summary>One stated criterion of a goal: what it asks, what was measured, and whether that meets it (null: no input).</summary>
public sealed record Criterion(Text Asks, Text Measured, bool? Met)
{
    public Verdict Verdict => Met switch
    {
        true => Verdict.Met,
        false => Verdict.NotMet,
        null => Verdict.NotMeasured,
    };

    /// <summary>A criterion whose input is missing: the report names what is missing instead of a figure.</summary>
    public static Criterion Unmeasured(Text asks, Text why) => new(asks, why, null);
}

/// <summary>A verification goal of the proposal with its criteria; the verdict follows from them alone.</summary>
public sealed record GoalAssessment(int Number, Text Title, Text Headline, IReadOnlyList<Criterion> Criteria)
{
    public Verdict Verdict =>
        Criteria.All(criterion => criterion.Met is null) ? Verdict.NotMeasured
        : Criteria.Any(criterion => criterion.Met is false) ? Verdict.NotMet
        : Criteria.Any(criterion => criterion.Met is null) ? Verdict.MetWhereMeasured
        : Verdict.Met;

    /// <summary>
    /// The headline, and for a goal not met the criteria it missed: a one-line verdict must not read as good news alone
    /// (the summary table shows only this line).
    /// </summary>
    public Text Summary => Criteria.Where(criterion => criterion.Met is false).Select(criterion => criterion.Asks).ToList() is { Count: > 0 } missed
        ? new Text($"{Headline.En}; **not met:** {string.Join("; ", missed.Select(asks => asks.En))}",
            $"{Headline.Ko}; **미충족:** {string.Join("; ", missed.Select(asks => asks.Ko))}")
        : Headline;
}

public static class VerdictText
{
    public static Text Of(Verdict verdict) => verdict switch
    {
        Verdict.Met => new("Met", "충족"),
        Verdict.NotMet => new("Not met", "미충족"),
        Verdict.MetWhereMeasured => new("Met where measured (inputs missing)", "측정된 항목은 충족 (입력 일부 없음)"),
        _ => new("Not measured", "측정 안 됨"),
    };
}
