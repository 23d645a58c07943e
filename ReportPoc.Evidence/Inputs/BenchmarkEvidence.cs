using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Evidence.Inputs;

/// <summary>
/// The benchmark's results.json, read into ReportPoc.Benchmark's own types. The scale curve is taken as the tool wrote
/// it: it depends on the measuring machine's core count, which need not be this one's.
/// </summary>
public sealed record BenchmarkEvidence(BenchmarkResults Results, ScaleCurve? Curve)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The results' lists have no setters: fill the ones the object already has.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { FillGetOnlyLists } },
    };

    public static async Task<BenchmarkEvidence> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) ?? throw new JsonException($"{path} is empty.");
        var results = json.Deserialize<BenchmarkResults>(JsonOptions) ?? throw new JsonException($"{path} holds no benchmark results.");
        return new BenchmarkEvidence(results, json[JsonNamingPolicy.CamelCase.ConvertName(nameof(BenchmarkResults.ScaleCurve))]?.Deserialize<ScaleCurve>(JsonOptions));
    }

    private static void FillGetOnlyLists(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(property => property.Set is null && property.PropertyType.IsGenericType
                     && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>)))
        {
            property.ObjectCreationHandling = JsonObjectCreationHandling.Populate;
        }
    }
}
