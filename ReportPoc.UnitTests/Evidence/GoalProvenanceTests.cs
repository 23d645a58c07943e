using System.Text.Json;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts.Lp;
using ReportPoc.Evidence;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Provenance;
using ReportPoc.Evidence.Sections;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// The verdicts, not only the inputs: an input from another commit, or a reduced drill, turns each verdict resting on it
/// into "not measured"; the same inputs recorded for the run's commit give verdicts (so the test can fail).
/// </summary>
public sealed class GoalProvenanceTests : IDisposable
{
    private const string Commit = "1111111111111111111111111111111111111111";
    private const string OtherCommit = "2222222222222222222222222222222222222222";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reportpoc-verdicts-");

    [Fact]
    public async Task InputsOfTheRunsCommitGiveVerdicts()
    {
        var goals = await GoalsAsync(benchmarkCommit: Commit, new ChaosOptions());

        Assert.All(goals, goal => Assert.NotEqual(Verdict.NotMeasured, goal.Verdict));
    }

    [Fact]
    public async Task ABenchmarkFromAnotherCommitTurnsResponseTimeAndScalabilityIntoNotMeasured()
    {
        var goals = await GoalsAsync(benchmarkCommit: OtherCommit, new ChaosOptions());

        Assert.Equal(Verdict.NotMeasured, goals.Single(goal => goal.Number == 1).Verdict);
        Assert.Equal(Verdict.NotMeasured, goals.Single(goal => goal.Number == 3).Verdict);
        Assert.NotEqual(Verdict.NotMeasured, goals.Single(goal => goal.Number == 2).Verdict);
    }

    [Fact]
    public async Task AReducedDrillTurnsFaultIsolationIntoNotMeasured()
    {
        var goals = await GoalsAsync(benchmarkCommit: Commit, new ChaosOptions { Reports = 150, LpOutage = TimeSpan.FromSeconds(25), PostgresDown = TimeSpan.FromSeconds(15) });

        var faultIsolation = goals.Single(goal => goal.Number == 2);
        Assert.Equal(Verdict.NotMeasured, faultIsolation.Verdict);
        Assert.All(faultIsolation.Criteria.Take(5), criterion => Assert.Contains("a reduced drill (150 reports", criterion.Measured.En));
    }

    private async Task<IReadOnlyList<GoalAssessment>> GoalsAsync(string benchmarkCommit, ChaosOptions drill)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var options = new EvidenceOptions
        {
            Run = Path.Combine(_directory.FullName, "run.json"),
            Benchmark = Path.Combine(_directory.FullName, "results.json"),
            Collateral = Path.Combine(_directory.FullName, "absent-collateral.json"),
            Accept = Path.Combine(_directory.FullName, "absent-accept.json"),
            Pickup = Path.Combine(_directory.FullName, "absent-pickup.json"),
            Soak = Path.Combine(_directory.FullName, "absent-soak.json"),
            Chaos = Path.Combine(_directory.FullName, "chaos.json"),
            Tests = Path.Combine(_directory.FullName, "absent-tests.json"),
            Screenshots = _directory.FullName,
        };
        await File.WriteAllTextAsync(options.Benchmark, JsonSerializer.Serialize(Benchmark(), JsonSerializerOptions.Web), cancellationToken);
        await new ChaosDrillRecord(DateTimeOffset.UtcNow, drill, LpProfile.Default, LpProfile.DefaultCapacity, Drill(drill), []).WriteAsync(options.Chaos, cancellationToken);
        async Task<InputStamp> StampAsync(string name, string path, string commit) =>
            new(name, path, (await EvidenceRun.HashAsync(path, cancellationToken))!, commit, Clean: true, DateTimeOffset.UtcNow);
        await new EvidenceRun(Commit, DateTimeOffset.UtcNow, "2 cores",
        [
            await StampAsync(EvidenceInputs.BenchmarkInput, options.Benchmark, benchmarkCommit),
            await StampAsync(EvidenceInputs.ChaosInput, options.Chaos, Commit),
        ]).WriteAsync(options.Run, cancellationToken);

        var inputs = await EvidenceInputs.ReadAsync(options, cancellationToken);
        return [new ResponseTimeGoal(inputs).Assessment, new FaultIsolationGoal(inputs).Assessment, new ScalabilityGoal(inputs).Assessment];
    }

    /// <summary>LP's default profile, the LP-bound and consumer-bound bursts, and the same-load comparison.</summary>
    private static BenchmarkResults Benchmark()
    {
        var results = new BenchmarkResults { StartedAt = DateTimeOffset.UtcNow, Machine = "2 cores", Target = "test", LpProfile = new LpState(8, 100, 1000, 0, 0, 0), TargetRate = 200 };
        results.Processor.AddRange([
            ScalabilityFindingsTests.Burst(1, 8.1, lpBound: true), ScalabilityFindingsTests.Burst(2, 8.1, lpBound: true),
            ScalabilityFindingsTests.Burst(1, 17.6, lpBound: false), ScalabilityFindingsTests.Burst(2, 34.9, lpBound: false),
        ]);
        var latency = new LatencySummary(80, 20, 20, 20, 20, 20);
        foreach (var (load, fraction) in SameLoadLevels.All)
        {
            foreach (var path in new[] { BenchmarkResults.Sync, BenchmarkResults.Async })
            {
                results.SameLoad.Add(new(path, load, fraction, 8 * fraction, 8, 20, 160, 160, 160, 0, 0, 0, latency, latency, 5, 2, 1, []));
            }
        }

        return results;
    }

    internal static ChaosResult Drill(ChaosOptions drill) => new()
    {
        Reports = drill.Reports, Accepted = drill.Reports, Completed = drill.Reports - 20, Failed = 20, Lost = 0, DuplicateLpRuns = 0, RejectedByLp = 20,
        FailedAreRejected = true, DeadLettered = 20, DeadLettersAreFailed = true, SettledAfterLastFault = TimeSpan.FromSeconds(80), SettleBound = TimeSpan.FromMinutes(10),
        ProcessorKills = 3, InFlightAtKills = 12, InstancesRemoved = 1, InstancesAdded = 1, PartitionHandovers = 6, LpOutage = drill.LpOutage, LpFailedCallsInOutage = 40,
        LpFailedCalls = 300, PostgresCrashes = 1, PostgresDown = drill.PostgresDown, BrokerBlips = 3, Answered503 = 12, Duration = TimeSpan.FromMinutes(6),
    };

    public void Dispose() => _directory.Delete(recursive: true);
}
