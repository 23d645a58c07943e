namespace ReportPoc.Evidence;

/// <summary>
/// Command line: <c>[--run …] [--benchmark …] [--collateral …] [--accept …] [--pickup …] [--soak …] [--outcomes …] [--chaos …] [--tests …] [--screenshots …] [--out docs]</c>.
/// Paths are relative to the current directory (scripts/evidence.sh runs from the repository root); the defaults are
/// the files the evidence run keeps beside the report: the benchmark's own results, and copies of the chaos drill's
/// record and a summary of the test run in docs/poc-report/inputs, with the run's record of them (run.json).
/// </summary>
public sealed record EvidenceOptions
{
    /// <summary>The evidence run that vouches for the inputs (scripts/evidence.sh).</summary>
    public string Run { get; init; } = Path.Combine(InputsDirectory, "run.json");

    /// <summary>ReportPoc.Benchmark's results (its --out directory).</summary>
    public string Benchmark { get; init; } = Path.Combine("docs", "benchmarks", "results.json");

    /// <summary>The benchmark's --collateral mode: what each path's load costs a cheap request.</summary>
    public string Collateral { get; init; } = Path.Combine("docs", "benchmarks", "collateral", "results.json");

    /// <summary>The benchmark's --accept mode: async accept against the same Api's /alive, with hey (round 2's target).</summary>
    public string Accept { get; init; } = Path.Combine("docs", "benchmarks", "accept", "results.json");

    /// <summary>The benchmark's --pickup mode: pickup, idle CPU and one-at-a-time end to end (round 2's targets).</summary>
    public string Pickup { get; init; } = Path.Combine("docs", "benchmarks", "pickup", "results.json");

    /// <summary>The benchmark's --soak mode: every process over a steady load (round 2's 30 minutes).</summary>
    public string Soak { get; init; } = Path.Combine("docs", "benchmarks", "soak", "results.json");

    /// <summary>The benchmark's --outcomes mode: notification delay, the bridge vs the as-is path, the migration rehearsal, open streams.</summary>
    public string Outcomes { get; init; } = Path.Combine("docs", "benchmarks", "outcomes", "results.json");

    /// <summary>The chaos drill's record (Chaos:ResultPath), as the evidence run copied it.</summary>
    public string Chaos { get; init; } = Path.Combine(InputsDirectory, "chaos.json");

    /// <summary>The test run's summary (or a directory of TRX files, one per test project: dotnet test --report-xunit-trx).</summary>
    public string Tests { get; init; } = Path.Combine(InputsDirectory, "tests.json");

    public string Screenshots { get; init; } = Path.Combine("docs", "screenshots");

    /// <summary>Where poc-report.md, poc-report.ko.md and the charts' folder poc-report/ are written.</summary>
    public string Output { get; init; } = "docs";

    private static readonly string InputsDirectory = Path.Combine("docs", "poc-report", "inputs");

    public static EvidenceOptions Parse(string[] args)
    {
        var options = new EvidenceOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--run" => options with { Run = Next() },
                "--benchmark" => options with { Benchmark = Next() },
                "--chaos" => options with { Chaos = Next() },
                "--collateral" => options with { Collateral = Next() },
                "--accept" => options with { Accept = Next() },
                "--pickup" => options with { Pickup = Next() },
                "--soak" => options with { Soak = Next() },
                "--outcomes" => options with { Outcomes = Next() },
                "--tests" => options with { Tests = Next() },
                "--screenshots" => options with { Screenshots = Next() },
                "--out" => options with { Output = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}
