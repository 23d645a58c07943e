using System.Text.Json.Nodes;
using ReportPoc.Chaos.Results;

namespace ReportPoc.Evidence.Inputs;

/// <summary>The chaos drill's record, and the Api's figures per phase read from the same file where it holds them.</summary>
public sealed record ChaosEvidence(ChaosDrillRecord Record, ApiDuringFaults Api)
{
    public static async Task<ChaosEvidence> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var record = await ChaosDrillRecord.ReadAsync(path, cancellationToken);
        return new ChaosEvidence(record, ApiDuringFaults.From(JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))));
    }
}
