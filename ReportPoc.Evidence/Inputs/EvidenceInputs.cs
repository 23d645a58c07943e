using System.Text.Json;
using System.Text.Json.Serialization;
using ReportPoc.Benchmark.Collateral;
using ReportPoc.Chaos.Results;

namespace ReportPoc.Evidence.Inputs;

/// <summary>Everything the report is made from; each input may be missing, and the report then says so.</summary>
public sealed record EvidenceInputs(Input<BenchmarkEvidence> Benchmark, Input<CollateralResults> Collateral, Input<ChaosDrillRecord> Chaos, Input<TestRun> Tests,
    Screenshots Screenshots)
{
    private static readonly JsonSerializerOptions CollateralJson = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task<EvidenceInputs> ReadAsync(EvidenceOptions options, CancellationToken cancellationToken) => new(
        await Input<BenchmarkEvidence>.ReadAsync(options.Benchmark, BenchmarkEvidence.ReadAsync, cancellationToken),
        await Input<CollateralResults>.ReadAsync(options.Collateral, ReadCollateralAsync, cancellationToken),
        await Input<ChaosDrillRecord>.ReadAsync(options.Chaos, ChaosDrillRecord.ReadAsync, cancellationToken),
        await Input<TestRun>.ReadAsync(options.Tests, TestRun.ReadAsync, cancellationToken),
        new Screenshots(options.Screenshots));

    private static async Task<CollateralResults> ReadCollateralAsync(string path, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<CollateralResults>(await File.ReadAllTextAsync(path, cancellationToken), CollateralJson)
        ?? throw new JsonException($"{path} holds no collateral results.");
}
