using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Benchmark.Results;

/// <summary>Everything one run measured; written as JSON, Markdown and charts.</summary>
public sealed class BenchmarkResults
{
    public const string Baseline = "baseline";
    public const string Sync = "sync";
    public const string Async = "async";

    /// <summary>The concurrency the ratios compare at (the yardstick), when the run measured it.</summary>
    public const int ComparedConcurrency = 64;

    public required DateTimeOffset StartedAt { get; init; }
    public required string Machine { get; init; }
    public required string Target { get; init; }
    public LpState? LpProfile { get; set; }
    public List<LevelResult> Levels { get; } = [];
    public List<CompletionResult> Completion { get; } = [];

    /// <summary>Both paths at the same offered rates (below, at and twice LP's limit): acknowledgement, Completed, backlog, drain.</summary>
    public List<SameLoadResult> SameLoad { get; } = [];
    public List<ProcessorResult> Processor { get; } = [];
    public double OverloadSeconds { get; set; }
    public int OverloadConcurrency { get; set; }
    public LevelResult? Overload { get; set; }
    public List<ServiceMemoryResult> Memory { get; } = [];

    /// <summary>The rate (reports a second) the partition arithmetic sizes a production topic for.</summary>
    public double TargetRate { get; init; }

    public KeyRatios Ratios => KeyRatios.From(this);

    public ScaleCurve? ScaleCurve => ScaleCurve.From(Processor, TargetRate);

    /// <summary>How this tool's JSON is read back (results.json and the parts of it a reader takes on its own).</summary>
    public static readonly JsonSerializerOptions ReadOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The lists have no setters: fill the ones the object already has.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { FillGetOnlyLists } },
    };

    /// <summary>A results.json this tool wrote, back into its types (the derived figures are computed again from it).</summary>
    public static async Task<BenchmarkResults> ReadAsync(string path, CancellationToken cancellationToken) =>
        Parse(await File.ReadAllTextAsync(path, cancellationToken), path);

    /// <param name="source">Where the text came from, for the error.</param>
    public static BenchmarkResults Parse(string json, string source) =>
        JsonSerializer.Deserialize<BenchmarkResults>(json, ReadOptions) ?? throw new JsonException($"{source} holds no benchmark results.");

    private static void FillGetOnlyLists(JsonTypeInfo type)
    {
        foreach (var property in type.Properties.Where(property => property.Set is null && property.PropertyType.IsGenericType
                     && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>)))
        {
            property.ObjectCreationHandling = JsonObjectCreationHandling.Populate;
        }
    }

    public LevelResult? Level(string scenario, int concurrency) =>
        Levels.FirstOrDefault(level => level.Scenario == scenario && level.Concurrency == concurrency);

    /// <summary>The compared level, or the highest one measured when 64 was left out.</summary>
    public int ComparedLevel => Levels.Any(level => level.Concurrency == ComparedConcurrency)
        ? ComparedConcurrency
        : Levels.Select(level => level.Concurrency).DefaultIfEmpty(0).Max();
}

/// <summary>The yardsticks, as ratios measured in one run (absolute times alone are too noisy to compare).</summary>
public sealed record KeyRatios(
    int Concurrency,
    double? AsyncP99OverSyncP99,
    double? AsyncOverBaselineThroughput,
    double? PeakAsyncOverPeakBaselineThroughput,
    double? ProcessorOverLpLimit,
    double? TwoOverOneInstancesLpUnbounded,
    double? TwoOverOneInstancesLpBound)
{
    public static KeyRatios From(BenchmarkResults results)
    {
        var level = results.ComparedLevel;
        var sync = results.Level(BenchmarkResults.Sync, level);
        var async = results.Level(BenchmarkResults.Async, level);
        var baseline = results.Level(BenchmarkResults.Baseline, level);

        return new KeyRatios(level,
            Divide(async?.Latency.P99Ms, sync?.Latency.P99Ms),
            Divide(async?.Throughput, baseline?.Throughput),
            Divide(Peak(results, BenchmarkResults.Async), Peak(results, BenchmarkResults.Baseline)),
            // Fewest instances: one processor is the claim; against a running system the count may be unknown (0).
            results.Processor.Where(run => run.LpBound).OrderBy(run => run.Instances).FirstOrDefault()?.OfLpLimit,
            InstanceRatio(results, lpBound: false),
            InstanceRatio(results, lpBound: true));
    }

    private static double? Peak(BenchmarkResults results, string scenario) =>
        results.Levels.Where(level => level.Scenario == scenario).Select(level => (double?)level.Throughput).Max();

    private static double? InstanceRatio(BenchmarkResults results, bool lpBound)
    {
        var runs = results.Processor.Where(run => run.LpBound == lpBound).ToList();
        return Divide(runs.FirstOrDefault(run => run.Instances == 2)?.SteadyPerSecond, runs.FirstOrDefault(run => run.Instances == 1)?.SteadyPerSecond);
    }

    private static double? Divide(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && d > 0 && !double.IsNaN(n) ? n / d : null;
}
