using System.Text.Json;
using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts.Lp;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Sections;
using ReportPoc.Evidence.Writing;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// What the report says about the system itself, not about a run's figures: it must match the code and the drill's
/// record (the report described a one-broker dev broker four days after it had three, and a 502 the LP-outage
/// test does not see).
/// </summary>
public sealed class ReportTextTests : IDisposable
{
    private static readonly Input<BenchmarkEvidence> NoBenchmark = new("results.json", null, Text.Same("not found"));
    private static readonly Input<TestRun> NoTests = new("tests.json", null, Text.Same("not found"));

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("reportpoc-text-");

    [Fact]
    public void TheDrillsSingleBrokerStepIsListedWithItsFaults()
    {
        var (english, korean) = Render(new FaultIsolationGoal(Inputs(brokerRestarts: 1)));

        Assert.Contains("| one broker of three down, then back | 1, 10 s |", english);
        Assert.Contains("| 브로커 3대 중 1대 중단 후 복구 | 1회, 10 s |", korean);
    }

    [Fact]
    public void ADrillWithoutTheStepHasNoSuchRow()
    {
        var (english, _) = Render(new FaultIsolationGoal(Inputs(brokerRestarts: 0)));

        Assert.DoesNotContain("one broker of three down", english);
    }

    [Fact]
    public void TheDevBrokerIsDescribedWithTheBrokersItStarts()
    {
        var cluster = File.ReadAllText(Path.Combine(RepositoryFiles.Root.FullName, "ReportPoc.DevBroker", "MockCluster", "DevKafkaCluster.cs"));
        Assert.Contains("public int Brokers { get; set; } = 3;", cluster);

        var (english, korean) = Render(new SetupSection(Inputs(brokerRestarts: 1)), new ProductionSection());

        Assert.Contains("**three brokers**", english);
        Assert.Contains("**브로커 3대**", korean);
        Assert.DoesNotContain("replication factor 1", english);
        Assert.DoesNotContain("one replica", english);
        Assert.DoesNotContain("복제 계수(replication factor) 1", korean);
        Assert.DoesNotContain("복제본이 하나였", korean);
    }

    [Fact]
    public void TheSyncPathDuringAnLpOutageAnswersWhatFaultIsolationTestsAsserts()
    {
        var test = File.ReadAllText(Path.Combine(RepositoryFiles.Root.FullName, "ReportPoc.Tests", "Scenarios", "FaultIsolationTests.cs"));
        var lpOutage = test[test.IndexOf("DuringAnLpOutage", StringComparison.Ordinal)..test.IndexOf("BrokerDown", StringComparison.Ordinal)];
        Assert.Contains("Assert.Equal(HttpStatusCode.ServiceUnavailable, sync.StatusCode);", lpOutage);

        var guarantee = Guarantees.FaultIsolation.Single(item => item.Situation.En.StartsWith("LP outage", StringComparison.Ordinal));

        Assert.Contains("sync path answers 503", guarantee.Outcome.En);
        Assert.Contains("503으로", guarantee.Outcome.Ko);
        Assert.DoesNotContain("502", guarantee.Outcome.En + guarantee.Outcome.Ko);
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private (string English, string Korean) Render(params IReportSection[] sections)
    {
        string In(Language language)
        {
            var document = new ReportDocument(language, _directory.FullName);
            foreach (var section in sections)
            {
                section.Write(document);
            }

            return document.Markdown;
        }

        return (In(Language.English), In(Language.Korean));
    }

    private EvidenceInputs Inputs(int brokerRestarts)
    {
        var drill = new ChaosOptions();
        var record = new ChaosDrillRecord(DateTimeOffset.Parse("2026-12-06T23:55:00Z"), drill, LpProfile.Default, LpProfile.DefaultCapacity,
            GoalProvenanceTests.Drill(drill) with { BrokerRestarts = brokerRestarts }, []);
        var chaos = new ChaosEvidence(record, ApiDuringFaults.From(JsonSerializer.SerializeToNode(record, JsonSerializerOptions.Web)));
        return new EvidenceInputs(null, NoBenchmark, new("collateral.json", null, Text.Same("not found")), new("chaos.json", chaos, null), NoTests,
            new Screenshots(_directory.FullName));
    }
}
