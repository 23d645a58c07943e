using System.Xml;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Sections;
using ReportPoc.Evidence.Writing;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>The test run as the report reads it from xunit.v3's TRX files: per class, across projects, and a broken file refused.</summary>
public sealed class TestRunTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reportpoc-trx-");

    [Fact]
    public async Task ResultsAreCountedPerClassAcrossTheProjectsFiles()
    {
        await Trx("unit.trx", "2026-11-25T10:00:00Z", "2026-11-25T10:00:20Z",
            ("ReportPoc.UnitTests.Api.TokenTests", "Passed", "00:00:01"),
            ("ReportPoc.UnitTests.Api.TokenTests", "Failed", "00:00:02"),
            ("ReportPoc.UnitTests.Api.TokenTests", "NotExecuted", "00:00:00"));
        await Trx("scenarios.trx", "2026-11-25T10:01:00Z", "2026-11-25T10:03:00Z",
            ("ReportPoc.Tests.Scenarios.ChaosTests", "Passed", "00:02:10"),
            ("ReportPoc.Tests.Scenarios.ScaleOutTests", "Passed", "00:00:30"),
            ("ReportPoc.Tests.Scenarios.ScaleOutTests", "Passed", "00:00:15"));

        var run = await TestRun.ReadAsync(_directory.FullName, TestContext.Current.CancellationToken);

        Assert.Equal(["scenarios.trx", "unit.trx"], run.Files);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:00:00Z"), run.Started);
        Assert.Equal(DateTimeOffset.Parse("2026-11-25T10:03:00Z"), run.Finished);
        Assert.Equal((4, 1, 1), (run.Passed, run.Failed, run.Skipped));
        var tokens = Assert.Single(run.Named("TokenTests"));
        Assert.Equal(("ReportPoc.UnitTests", 1, 1, 1, TimeSpan.FromSeconds(3)), (tokens.Project, tokens.Passed, tokens.Failed, tokens.Skipped, tokens.Duration));
        var scaleOut = Assert.Single(run.Named("ScaleOutTests"));
        Assert.Equal(("ReportPoc.Tests", 2, TimeSpan.FromSeconds(45)), (scaleOut.Project, scaleOut.Passed, scaleOut.Duration));
    }

    [Fact]
    public async Task ATruncatedFileIsRefusedNotReadAsFewerTests()
    {
        var path = await Trx("unit.trx", "2026-11-25T10:00:00Z", "2026-11-25T10:00:20Z", ("ReportPoc.UnitTests.A", "Passed", "00:00:01"));
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, text[..(text.Length / 2)], TestContext.Current.CancellationToken);

        await Assert.ThrowsAnyAsync<XmlException>(() => TestRun.ReadAsync(_directory.FullName, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ADirectoryWithoutTrxFilesIsNoTestRun() =>
        await Assert.ThrowsAsync<InvalidDataException>(() => TestRun.ReadAsync(_directory.FullName, TestContext.Current.CancellationToken));

    [Fact]
    public void EveryTestClassTheGoalsNameExistsInTheTestSources()
    {
        var sources = RepositoryFiles.Enumerate("*.cs", "ReportPoc.Tests", "ReportPoc.UnitTests")
            .Select(File.ReadAllText)
            .ToList();

        var missing = Guarantees.AllTestClasses.Where(name => !sources.Any(source => source.Contains($"class {name}", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, $"No test class named {string.Join(", ", missing)}.");
    }

    [Fact]
    public void AClassWhoseTestsWereAllSkippedDoesNotShowItsGuarantee()
    {
        var run = new TestRun(["scenarios.trx"], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            [new TestClassResult("ReportPoc.Tests", "LpOutageTests", Passed: 0, Failed: 0, Skipped: 2, TimeSpan.Zero)]);
        var guarantee = new Guarantee(Text.Same("LP down"), Text.Same("waited out"), ["LpOutageTests"]);

        var criterion = GoalWriting.Tests(new Input<TestRun>("tests.json", run, null), [guarantee]);

        Assert.False(criterion.Met);
        Assert.Contains("not in the run: `LpOutageTests`", criterion.Measured.En);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    /// <summary>A TRX file in the shape xunit.v3 writes: a definition per test naming its class, a result per test.</summary>
    private async Task<string> Trx(string name, string start, string finish, params (string ClassName, string Outcome, string Duration)[] tests)
    {
        var path = Path.Combine(_directory.FullName, name);
        var ids = tests.Select(_ => Guid.NewGuid()).ToList();
        var results = string.Concat(tests.Select((test, i) =>
            $"""<UnitTestResult testName="{test.ClassName}.M{i}" outcome="{test.Outcome}" testId="{ids[i]}" duration="{test.Duration}" />"""));
        var definitions = string.Concat(tests.Select((test, i) =>
            $"""<UnitTest name="{test.ClassName}.M{i}" id="{ids[i]}"><TestMethod className="{test.ClassName}" name="M{i}" /></UnitTest>"""));
        await File.WriteAllTextAsync(path,
            $"""<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Times start="{start}" finish="{finish}" /><Results>{results}</Results><TestDefinitions>{definitions}</TestDefinitions></TestRun>""",
            TestContext.Current.CancellationToken);
        return path;
    }
}
