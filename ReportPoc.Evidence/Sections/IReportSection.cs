using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>
/// One section of the report, written in each language from the same inputs. A new measurement becomes a new section:
/// a class reading its input, and one line in <see cref="PocReport"/>.
/// </summary>
public interface IReportSection
{
    void Write(ReportDocument document);
}

/// <summary>A section answering one of the proposal's verification goals, with the verdict computed from its inputs.</summary>
public interface IGoalSection : IReportSection
{
    GoalAssessment Assessment { get; }
}
