using System.Text.Json.Nodes;
using ReportPoc.Chaos;
using ReportPoc.Chaos.Results;
using ReportPoc.Contracts.Lp;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Inputs;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// The Api's own latency and error rate during each fault, against the calm phase, read defensively from the drill's
/// record: a record without the figures says "not measured in this run" for every fault, never a verdict.
/// </summary>
public sealed class FaultIsolationFindingsTests
{
    private static readonly Text Missing = Text.Same("no input");

    [Fact]
    public void ARecordWithoutTheFieldMeasuresNoFault()
    {
        var api = ApiDuringFaults.From(JsonNode.Parse("""{ "finishedAt": "2026-12-01T00:00:00Z", "result": { "accepted": 1000 } }"""));

        var criteria = FaultIsolationFindings.ApiDuringFaults(api, Missing);

        Assert.Equal(4, criteria.Count);
        Assert.All(criteria, criterion => Assert.Null(criterion.Met));
        Assert.All(criteria, criterion => Assert.StartsWith("not measured in this run: the drill's record has no `apiDuringFaults`", criterion.Measured.En));
    }

    [Fact]
    public void EachFaultIsJudgedAgainstTheCalmPhase()
    {
        var api = ApiDuringFaults.From(JsonNode.Parse("""
            { "result": { "apiDuringFaults": [
                { "phase": "calm", "requests": 400, "errors": 0, "p50Ms": 4, "p99Ms": 20 },
                { "phase": "lpOutage", "requests": 300, "errors": 0, "p50Ms": 5, "p99Ms": 60 },
                { "phase": "postgresDown", "requests": 200, "errors": 1, "p50Ms": 5, "p99Ms": 71 },
                { "phase": "processorKills", "requests": 200, "errors": 0, "p50Ms": 5, "p99Ms": 30 },
                { "phase": "brokerBlips", "requests": 100, "errors": 20, "p50Ms": 9, "p99Ms": 40 } ] } }
            """));

        var criteria = FaultIsolationFindings.ApiDuringFaults(api, Missing);

        // LP outage: 60 ≤ max(40, 70); PostgreSQL: 71 > 70; kills within; broker: 20 % errors against 0 % calm.
        Assert.Equal(new bool?[] { true, false, true, false }, criteria.Select(criterion => criterion.Met));
    }

    [Fact]
    public void AnObjectKeyedByPhaseIsReadToo()
    {
        var api = ApiDuringFaults.From(JsonNode.Parse("""
            { "apiDuringFaults": { "calm": { "requests": 10, "errors": 0, "p50Ms": 3, "p99Ms": 8 }, "lp-outage": { "requests": 10, "errors": 0, "p50Ms": 3, "p99Ms": 9 } } }
            """));

        Assert.Null(api.Problem);
        Assert.Equal(9, api.Of(DrillPhase.LpOutage)?.P99Ms);
    }

    [Fact]
    public void AFaultTheRecordHasNoFiguresForIsNotMeasured()
    {
        var api = new ApiDuringFaults([new ApiPhase(DrillPhase.Calm, 100, 0, 3, 10), new ApiPhase(DrillPhase.LpOutage, 100, 0, 3, 12)], null);

        var criteria = FaultIsolationFindings.ApiDuringFaults(api, Missing);

        Assert.Equal(new bool?[] { true, null, null, null }, criteria.Select(criterion => criterion.Met));
    }

    [Fact]
    public void AnEntryWithoutItsFiguresRefusesTheWholeField()
    {
        var api = ApiDuringFaults.From(JsonNode.Parse("""{ "apiDuringFaults": [ { "phase": "calm", "requests": 10 } ] }"""));

        Assert.Contains("cannot read", api.Problem?.En);
        Assert.All(FaultIsolationFindings.ApiDuringFaults(api, Missing), criterion => Assert.Null(criterion.Met));
    }

    [Fact]
    public async Task TheDrillsOwnRecordIsReadAsTheDrillWritesIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"chaos-record-{Guid.NewGuid():N}.json");
        var drill = new ChaosOptions();
        ApiPhaseFigures[] written =
        [
            new(DrillPhases.Calm, 111, 0, 0, 4.1, 9.5),
            new(DrillPhases.BrokerOutage, 180, 2, 40, 6, 3010),
            new(DrillPhases.DatabaseOutage, 60, 0, 0, 5, 14),
            new(DrillPhases.LpOutage, 55, 0, 0, 4, 11),
            new(DrillPhases.ProcessorFaults, 170, 0, 0, 4.5, 12),
        ];
        try
        {
            await new ChaosDrillRecord(DateTimeOffset.UtcNow, drill, LpProfile.Default, LpProfile.DefaultCapacity, GoalProvenanceTests.Drill(drill), written)
                .WriteAsync(path, TestContext.Current.CancellationToken);

            var api = ApiDuringFaults.From(JsonNode.Parse(await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)));

            Assert.Null(api.Problem);
            Assert.Equal(new ApiPhase(DrillPhase.Calm, 111, 0, 4.1, 9.5), api.Of(DrillPhase.Calm));
            Assert.Equal(new ApiPhase(DrillPhase.BrokerOutage, 180, 2, 6, 3010, Refused: 40), api.Of(DrillPhase.BrokerOutage));
            Assert.Equal(60, api.Of(DrillPhase.DatabaseOutage)?.Requests);
            Assert.Equal(55, api.Of(DrillPhase.LpOutage)?.Requests);
            Assert.Equal(170, api.Of(DrillPhase.ProcessorFaults)?.Requests);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void RefusalsByDesignAreShownButAreNotErrors()
    {
        var criterion = FaultIsolationFindings.Judge(Text.Same("asks"), new ApiPhase(DrillPhase.Calm, 100, 0, 3, 10),
            new ApiPhase(DrillPhase.BrokerOutage, 100, 0, 3, 12, Refused: 30));

        Assert.True(criterion.Met);
        Assert.Contains("30 refused by design", criterion.Measured.En);
    }

    [Fact]
    public void APhaseNamedTwiceRefusesTheWholeField()
    {
        var api = ApiDuringFaults.From(JsonNode.Parse("""
            { "apiDuringFaults": [
                { "phase": "calm", "requests": 10, "errors": 0, "p50Ms": 3, "p99Ms": 8 },
                { "phase": "broker-outage", "requests": 10, "errors": 0, "p50Ms": 3, "p99Ms": 9 },
                { "phase": "brokerBlips", "requests": 10, "errors": 5, "p50Ms": 3, "p99Ms": 900 } ] }
            """));

        Assert.Contains("twice", api.Problem?.En);
    }
}
