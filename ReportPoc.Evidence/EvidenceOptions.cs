namespace ReportPoc.Evidence;

/// <summary>
/// Command line: <c>[--benchmark docs/benchmarks/results.json] [--collateral docs/benchmarks/collateral/results.json] [--chaos artifacts/chaos/result.json]
/// [--tests artifacts/tests] [--screenshots docs/screenshots] [--out docs]</c>. Paths are relative to the current
/// directory (scripts/evidence.sh runs from the repository root); the defaults are where the producers write.
/// </summary>
public sealed record EvidenceOptions
{
    /// <summary>ReportPoc.Benchmark's results (its --out directory).</summary>
    public string Benchmark { get; init; } = Path.Combine("docs", "benchmarks", "results.json");

    /// <summary>The benchmark's --collateral mode: what each path's load costs a cheap request.</summary>
    public string Collateral { get; init; } = Path.Combine("docs", "benchmarks", "collateral", "results.json");

    /// <summary>The chaos drill's record (Chaos:ResultPath).</summary>
    public string Chaos { get; init; } = Path.Combine("artifacts", "chaos", "result.json");

    /// <summary>A directory of TRX files, one per test project (dotnet test --report-xunit-trx --results-directory).</summary>
    public string Tests { get; init; } = Path.Combine("artifacts", "tests");

    public string Screenshots { get; init; } = Path.Combine("docs", "screenshots");

    /// <summary>Where poc-report.md, poc-report.ko.md and the charts' folder poc-report/ are written.</summary>
    public string Output { get; init; } = "docs";

    public static EvidenceOptions Parse(string[] args)
    {
        var options = new EvidenceOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--benchmark" => options with { Benchmark = Next() },
                "--chaos" => options with { Chaos = Next() },
                "--collateral" => options with { Collateral = Next() },
                "--tests" => options with { Tests = Next() },
                "--screenshots" => options with { Screenshots = Next() },
                "--out" => options with { Output = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }
}
