using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Results;
using ReportPoc.Chaos.Results;

namespace ReportPoc.Evidence.Inputs;

/// <summary>Everything the report is made from; each input may be missing, and the report then says so.</summary>
public sealed record EvidenceInputs(Input<BenchmarkEvidence> Benchmark, Input<CollateralResults> Collateral, Input<ChaosDrillRecord> Chaos, Input<TestRun> Tests,
    Screenshots Screenshots)
{
    public static async Task<EvidenceInputs> ReadAsync(EvidenceOptions options, CancellationToken cancellationToken) => new(
        await Input<BenchmarkEvidence>.ReadAsync(options.Benchmark, BenchmarkEvidence.ReadAsync, cancellationToken),
        await Input<CollateralResults>.ReadAsync(options.Collateral, ModeOutput.ReadAsync<CollateralResults>, cancellationToken),
        await Input<ChaosDrillRecord>.ReadAsync(options.Chaos, ChaosDrillRecord.ReadAsync, cancellationToken),
        await Input<TestRun>.ReadAsync(options.Tests, TestRun.ReadAsync, cancellationToken),
        new Screenshots(options.Screenshots));
}
