using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Sections;

/// <summary>The report: its sections in order, written once per language into the output directory.</summary>
public static class PocReport
{
    public static IReadOnlyList<IReportSection> Sections(EvidenceInputs inputs)
    {
        IGoalSection[] goals = [new ResponseTimeGoal(inputs), new FaultIsolationGoal(inputs), new ScalabilityGoal(inputs)];
        return
        [
            new SummarySection(goals, inputs.Run),
            new QuestionSection(),
            new SetupSection(inputs),
            .. goals,
            new TargetsSection(inputs),
            new FindingsSection(inputs),
            new DecisionSection(inputs),
            new ProductionSection(),
            new ReproduceSection(inputs),
            new TestClassesAppendix(inputs),
        ];
    }

    /// <summary>Writes poc-report.md, poc-report.ko.md and their charts; returns the two reports' paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(EvidenceInputs inputs, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var sections = Sections(inputs);
        var written = new List<string>();
        foreach (var language in Enum.GetValues<Language>())
        {
            var document = new ReportDocument(language, directory);
            foreach (var section in sections)
            {
                section.Write(document);
            }

            written.Add(await document.SaveAsync(cancellationToken));
        }

        return written;
    }
}
