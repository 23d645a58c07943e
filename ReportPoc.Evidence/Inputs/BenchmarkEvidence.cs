using System.Text.Json;
using System.Text.Json.Nodes;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Evidence.Inputs;

/// <summary>
/// The benchmark's results.json, read into ReportPoc.Benchmark's own types. The scale curve is taken as the tool wrote
/// it: it depends on the measuring machine's core count, which need not be this one's.
/// </summary>
public sealed record BenchmarkEvidence(BenchmarkResults Results, ScaleCurve? Curve)
{
    public static async Task<BenchmarkEvidence> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var curve = JsonNode.Parse(text)?[JsonNamingPolicy.CamelCase.ConvertName(nameof(BenchmarkResults.ScaleCurve))];
        return new BenchmarkEvidence(BenchmarkResults.Parse(text, path), curve?.Deserialize<ScaleCurve>(BenchmarkResults.ReadOptions));
    }
}
