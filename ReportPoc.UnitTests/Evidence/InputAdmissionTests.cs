using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts.Lp;
using ReportPoc.Evidence;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Provenance;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// A verdict rests only on inputs of one evidence run on one commit, measured on a clean tree under the conditions it is
/// stated for: anything else is "not measured in this run", never a verdict.
/// </summary>
public sealed class InputAdmissionTests : IDisposable
{
    private const string Commit = "1111111111111111111111111111111111111111";
    private const string OtherCommit = "2222222222222222222222222222222222222222";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reportpoc-evidence-");

    [Fact]
    public async Task AnInputThisRunRecordedForItsCommitIsAdmitted()
    {
        var options = await WriteRunAsync(stampCommit: Commit, clean: true);

        var inputs = await EvidenceInputs.ReadAsync(options, TestContext.Current.CancellationToken);

        Assert.NotNull(inputs.Tests.Value);
        Assert.Null(inputs.Tests.Problem);
    }

    [Fact]
    public async Task AnInputFromAnotherCommitIsNotMeasured()
    {
        var options = await WriteRunAsync(stampCommit: OtherCommit, clean: true);

        var inputs = await EvidenceInputs.ReadAsync(options, TestContext.Current.CancellationToken);

        Assert.Null(inputs.Tests.Value);
        Assert.StartsWith("not measured in this run: measured on commit 2222222222", inputs.Tests.Problem?.En);
    }

    [Fact]
    public async Task AnInputMeasuredOnADirtyTreeIsNotMeasured()
    {
        var options = await WriteRunAsync(stampCommit: Commit, clean: false);

        var inputs = await EvidenceInputs.ReadAsync(options, TestContext.Current.CancellationToken);

        Assert.Null(inputs.Tests.Value);
        Assert.Contains("uncommitted changes", inputs.Tests.Problem?.En);
    }

    [Fact]
    public async Task AnInputChangedAfterTheRunRecordedItIsNotMeasured()
    {
        var options = await WriteRunAsync(stampCommit: Commit, clean: true);
        await File.AppendAllTextAsync(options.Tests, " ", TestContext.Current.CancellationToken);

        var inputs = await EvidenceInputs.ReadAsync(options, TestContext.Current.CancellationToken);

        Assert.Null(inputs.Tests.Value);
        Assert.Contains("changed after the run recorded it", inputs.Tests.Problem?.En);
    }

    [Fact]
    public async Task WithoutARecordedRunNothingIsMeasured()
    {
        var options = await WriteRunAsync(stampCommit: Commit, clean: true);
        File.Delete(options.Run);

        var inputs = await EvidenceInputs.ReadAsync(options, TestContext.Current.CancellationToken);

        Assert.Null(inputs.Run);
        Assert.Null(inputs.Tests.Value);
        Assert.Contains("no evidence run is recorded", inputs.Tests.Problem?.En);
    }

    [Fact]
    public void AnInputTheRunDidNotProduceIsNotMeasured()
    {
        var run = new EvidenceRun(Commit, DateTimeOffset.UtcNow, "machine", []);

        Assert.Contains("did not produce it", InputAdmission.ProvenanceRefusal(run, EvidenceInputs.ChaosInput, "ab")?.En);
    }

    [Fact]
    public void TheFullDrillAgainstTheDefaultLpIsAdmitted() =>
        Assert.Null(InputAdmission.ChaosRefusal(Drill(new ChaosOptions(), LpProfile.Default, LpProfile.DefaultCapacity)));

    [Fact]
    public void AReducedDrillIsNotMeasured()
    {
        var reduced = new ChaosOptions { Reports = 150, LpOutage = TimeSpan.FromSeconds(25), PostgresDown = TimeSpan.FromSeconds(15) };

        Assert.Contains("a reduced drill (150 reports", InputAdmission.ChaosRefusal(Drill(reduced, LpProfile.Default, LpProfile.DefaultCapacity))?.En);
    }

    [Theory]
    [InlineData(20, 150, 8)]
    [InlineData(100, 1000, 1000)]
    public void ADrillAgainstAnotherLpProfileIsNotMeasured(int setQueueMs, int lpRunMs, int capacity) =>
        Assert.Contains("not the default", InputAdmission.ChaosRefusal(Drill(new ChaosOptions(), new LpProfile(setQueueMs, lpRunMs, 0.2), capacity))?.En);

    [Theory]
    [InlineData("", true)]
    [InlineData(" M docs/benchmarks/results.json\n?? docs/poc-report/inputs/run.json\n M docs/poc-report.md\n", true)]
    [InlineData(" M ReportPoc.Processor/Program.cs\n", false)]
    [InlineData("?? ReportPoc.Api/New.cs\n", false)]
    [InlineData("R  docs/benchmarks/a.png -> ReportPoc.Api/a.png\n", false)]
    public void OnlyTheRunsOwnOutputsMayDifferFromTheCommit(string porcelain, bool clean) =>
        Assert.Equal(clean, SourceTree.IsClean(porcelain));

    private static ChaosDrillRecord Drill(ChaosOptions drill, LpProfile lp, int capacity) => new(DateTimeOffset.UtcNow, drill, lp, capacity, null!, []);

    /// <summary>A test-run summary and a run of <see cref="Commit"/> that stamped it as measured on <paramref name="stampCommit"/>.</summary>
    private async Task<EvidenceOptions> WriteRunAsync(string stampCommit, bool clean)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var options = new EvidenceOptions
        {
            Run = Path.Combine(_directory.FullName, "run.json"),
            Tests = Path.Combine(_directory.FullName, "tests.json"),
            Benchmark = Path.Combine(_directory.FullName, "absent-benchmark.json"),
            Collateral = Path.Combine(_directory.FullName, "absent-collateral.json"),
            Chaos = Path.Combine(_directory.FullName, "absent-chaos.json"),
            Screenshots = _directory.FullName,
        };
        var tests = new TestRun(["unit.trx"], DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow,
            [new TestClassResult("ReportPoc.Tests", "LpOutageTests", Passed: 3, Failed: 0, Skipped: 0, TimeSpan.FromSeconds(40))]);
        await tests.WriteSummaryAsync(options.Tests, cancellationToken);
        var stamp = new InputStamp(EvidenceInputs.TestsInput, options.Tests, (await EvidenceRun.HashAsync(options.Tests, cancellationToken))!, stampCommit, clean, DateTimeOffset.UtcNow);
        await new EvidenceRun(Commit, DateTimeOffset.UtcNow, "2 cores", [stamp]).WriteAsync(options.Run, cancellationToken);
        return options;
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
