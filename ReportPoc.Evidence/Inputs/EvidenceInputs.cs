using ReportPoc.Benchmark.Accept;
using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Benchmark.Pickup;
using ReportPoc.Benchmark.Soak;
using ReportPoc.Benchmark.Results;
using ReportPoc.Evidence.Provenance;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Inputs;

/// <summary>
/// Everything the report is made from, and the evidence run that vouches for it. Each input may be missing, or refused
/// (another run's, another commit's, a reduced drill…: <see cref="InputAdmission"/>); the report then says so instead of
/// stating a verdict from it.
/// </summary>
public sealed record EvidenceInputs(EvidenceRun? Run, Input<BenchmarkEvidence> Benchmark, Input<CollateralResults> Collateral, Input<ChaosEvidence> Chaos,
    Input<TestRun> Tests, Screenshots Screenshots)
{
    public const string BenchmarkInput = "benchmark";
    public const string CollateralInput = "collateral";
    public const string AcceptInput = "accept";
    public const string PickupInput = "pickup";
    public const string SoakInput = "soak";
    public const string OutcomesInput = "outcomes";
    public const string ChaosInput = "chaos";
    public const string TestsInput = "tests";

    /// <summary>The round-2 modes behind the targets table (accept, pickup, soak); absent unless the run produced them.</summary>
    public Input<AcceptResults> Accept { get; init; } = Absent<AcceptResults>();

    public Input<PickupResults> Pickup { get; init; } = Absent<PickupResults>();

    public Input<SoakResults> Soak { get; init; } = Absent<SoakResults>();

    /// <summary>The migration chapter's measurements (issue 21); absent unless the run produced them.</summary>
    public Input<OutcomesResults> Outcomes { get; init; } = Absent<OutcomesResults>();

    private static Input<T> Absent<T>() where T : class => new("", null, new Text("not measured in this run", "이번 실행에서 측정되지 않음"));

    public static async Task<EvidenceInputs> ReadAsync(EvidenceOptions options, CancellationToken cancellationToken)
    {
        var run = await EvidenceRun.ReadAsync(options.Run, cancellationToken);

        async Task<Input<T>> ReadAdmittedAsync<T>(string name, string path, Func<string, CancellationToken, Task<T>> read, Func<T, Text?>? condition = null)
            where T : class
        {
            var input = await Input<T>.ReadAsync(path, read, cancellationToken);
            var refusal = InputAdmission.ProvenanceRefusal(run, name, await EvidenceRun.HashAsync(path, cancellationToken))
                ?? (input.Value is { } value && condition is not null ? condition(value) : null);
            return InputAdmission.Admit(input, refusal);
        }

        return new EvidenceInputs(run,
            await ReadAdmittedAsync(BenchmarkInput, options.Benchmark, BenchmarkEvidence.ReadAsync, evidence => InputAdmission.BenchmarkRefusal(evidence.Results)),
            await ReadAdmittedAsync<CollateralResults>(CollateralInput, options.Collateral, ModeOutput.ReadAsync<CollateralResults>),
            await ReadAdmittedAsync(ChaosInput, options.Chaos, ChaosEvidence.ReadAsync, chaos => InputAdmission.ChaosRefusal(chaos.Record)),
            await ReadAdmittedAsync(TestsInput, options.Tests, TestRun.ReadAsync),
            new Screenshots(options.Screenshots))
        {
            Accept = await ReadAdmittedAsync<AcceptResults>(AcceptInput, options.Accept, ModeOutput.ReadAsync<AcceptResults>),
            Pickup = await ReadAdmittedAsync<PickupResults>(PickupInput, options.Pickup, ModeOutput.ReadAsync<PickupResults>),
            Soak = await ReadAdmittedAsync<SoakResults>(SoakInput, options.Soak, ModeOutput.ReadAsync<SoakResults>),
            Outcomes = await ReadAdmittedAsync<OutcomesResults>(OutcomesInput, options.Outcomes, ModeOutput.ReadAsync<OutcomesResults>),
        };
    }
}
