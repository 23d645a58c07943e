using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Evidence.Inputs;

/// <summary>
/// The benchmark's results.json, read into ReportPoc.Benchmark's own types. The scale curve is taken as the tool wrote
/// it: it depends on the measuring machine's core count, which need not be this one's.
/// </summary>
public sealed record BenchmarkEvidence(BenchmarkResults Results, ScaleCurve? Curve)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task<BenchmarkEvidence> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var results = await BenchmarkResults.ReadAsync(path, cancellationToken);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) ?? throw new JsonException($"{path} is empty.");
        return new BenchmarkEvidence(results, json[JsonNamingPolicy.CamelCase.ConvertName(nameof(BenchmarkResults.ScaleCurve))]?.Deserialize<ScaleCurve>(JsonOptions));
    }
}
