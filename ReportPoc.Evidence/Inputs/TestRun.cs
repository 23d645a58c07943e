using System.Text.Json;
using System.Globalization;
using System.Xml.Linq;

namespace ReportPoc.Evidence.Inputs;

/// <summary>One test class's results in the run: what passed, failed and was skipped, and the time its tests took.</summary>
/// <param name="Project">The test project, from the namespace (ReportPoc.Tests, ReportPoc.UnitTests).</param>
public sealed record TestClassResult(string Project, string Name, int Passed, int Failed, int Skipped, TimeSpan Duration)
{
    public int Tests => Passed + Failed + Skipped;
}

/// <summary>
/// The test run, from the TRX files xunit.v3 writes under Microsoft.Testing.Platform (<c>--report-xunit-trx</c>): one
/// file per test project, every file in the directory read. The evidence run keeps it as a small JSON summary beside
/// the report (the TRX files are bulky), which this reads back too.
/// </summary>
public sealed record TestRun(IReadOnlyList<string> Files, DateTimeOffset Started, DateTimeOffset Finished, IReadOnlyList<TestClassResult> Classes)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public int Passed => Classes.Sum(result => result.Passed);
    public int Failed => Classes.Sum(result => result.Failed);
    public int Skipped => Classes.Sum(result => result.Skipped);

    /// <summary>The classes of that name (a name may exist in both test projects).</summary>
    public IReadOnlyList<TestClassResult> Named(string name) => Classes.Where(result => result.Name == name).ToList();

    private static readonly JsonSerializerOptions SummaryOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>A directory of TRX files, or a summary this type wrote.</summary>
    public static async Task<TestRun> ReadAsync(string path, CancellationToken cancellationToken) => File.Exists(path)
        ? JsonSerializer.Deserialize<TestRun>(await File.ReadAllTextAsync(path, cancellationToken), SummaryOptions)
          ?? throw new InvalidDataException($"{path} holds no test run.")
        : await ReadTrxAsync(path);

    public async Task WriteSummaryAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, SummaryOptions), cancellationToken);
    }

    private static Task<TestRun> ReadTrxAsync(string directory)
    {
        var files = Directory.GetFiles(directory, "*.trx").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new InvalidDataException($"{directory} holds no .trx file.");
        }

        var runs = files.Select(file => XDocument.Load(file).Root ?? throw new InvalidDataException($"{file} is empty.")).ToList();
        var times = runs.Select(run => run.Element(Trx + "Times")).OfType<XElement>().ToList();
        var classes = runs.SelectMany(ResultsOf)
            .GroupBy(result => result.ClassName)
            .Select(results => new TestClassResult(
                ProjectOf(results.Key),
                results.Key[(results.Key.LastIndexOf('.') + 1)..],
                results.Count(result => result.Outcome == "Passed"),
                results.Count(result => result.Outcome is not ("Passed" or "NotExecuted")),
                results.Count(result => result.Outcome == "NotExecuted"),
                results.Aggregate(TimeSpan.Zero, (sum, result) => sum + result.Duration)))
            .OrderBy(result => result.Project, StringComparer.Ordinal).ThenBy(result => result.Name, StringComparer.Ordinal)
            .ToList();

        return Task.FromResult(new TestRun(files.Select(Path.GetFileName).ToList()!,
            times.Min(time => DateTimeOffset.Parse(Required(time, "start"), CultureInfo.InvariantCulture)),
            times.Max(time => DateTimeOffset.Parse(Required(time, "finish"), CultureInfo.InvariantCulture)),
            classes));
    }

    /// <summary>Each result joined to its test's definition, which names the class.</summary>
    private static IEnumerable<(string ClassName, string Outcome, TimeSpan Duration)> ResultsOf(XElement run)
    {
        var classOf = run.Descendants(Trx + "UnitTest").ToDictionary(
            test => Required(test, "id"),
            test => Required(test.Element(Trx + "TestMethod") ?? throw new InvalidDataException("A test definition names no method."), "className"));
        return run.Descendants(Trx + "UnitTestResult").Select(result => (
            classOf.GetValueOrDefault(Required(result, "testId")) ?? throw new InvalidDataException("A result names a test the run does not define."),
            (string?)result.Attribute("outcome") ?? "NotExecuted",
            result.Attribute("duration") is { } duration ? TimeSpan.Parse(duration.Value, CultureInfo.InvariantCulture) : TimeSpan.Zero));
    }

    private static string Required(XElement element, string attribute) =>
        (string?)element.Attribute(attribute) ?? throw new InvalidDataException($"A TRX {element.Name.LocalName} has no {attribute}.");

    private static string ProjectOf(string className) => string.Join('.', className.Split('.').Take(2));
}
