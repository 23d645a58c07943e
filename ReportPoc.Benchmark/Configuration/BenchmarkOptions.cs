using System.Globalization;

namespace ReportPoc.Benchmark.Configuration;

/// <summary>
/// Command line: <c>[compare] [--url URL] [--levels 1,8,32,64,128] [--warmup 3] [--duration 10] [--overload 60]
/// [--burst 240] [--scale-burst 600] [--completion-duration 20] [--quiet-wait 300] [--retries 4] [--out docs/benchmarks] [--skip-scale]</c>.
/// Without <c>--url</c> (or <c>services__api__http__0</c>, set by an AppHost <c>WithReference(api)</c>) the tool
/// starts the AppHost itself, once per configuration, and tears it down again.
/// </summary>
public sealed record BenchmarkOptions
{
    public Uri? ApiUrl { get; init; }
    public int[] Levels { get; init; } = [1, 8, 32, 64, 128];
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The memory scenario: async submissions far beyond what the processor can finish, for this long.</summary>
    public TimeSpan Overload { get; init; } = TimeSpan.FromSeconds(60);

    public int OverloadConcurrency { get; init; } = 64;

    /// <summary>Reports per burst when LP capacity is the bottleneck (≈30 s of work at 8 reports/s).</summary>
    public int Burst { get; init; } = 240;

    /// <summary>Reports per burst when LP capacity is out of the way (the processors are the bottleneck).</summary>
    public int ScaleBurst { get; init; } = 600;

    /// <summary>Offered rates for the accept→completed probe, as fractions of the LP limit (open loop, below saturation).</summary>
    public double[] CompletionLoads { get; init; } = [0.5, 0.9];

    public TimeSpan CompletionDuration { get; init; } = TimeSpan.FromSeconds(20);

    public bool SkipScale { get; init; }

    /// <summary>How long the whole run may wait, in total, for other load (a test run, another system) to finish before measuring.</summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many measurements disturbed by other load the whole run may repeat.</summary>
    public int Retries { get; init; } = 4;

    public string OutputDirectory { get; init; } = Path.Combine("docs", "benchmarks");

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = new BenchmarkOptions();
        if (Environment.GetEnvironmentVariable("services__api__http__0") is { Length: > 0 } fromAppHost)
        {
            options = options with { ApiUrl = new Uri(fromAppHost) };
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "compare" => options,
                "--url" => options with { ApiUrl = new Uri(Next()) },
                "--levels" => options with { Levels = Next().Split(',').Select(int.Parse).ToArray() },
                "--warmup" => options with { Warmup = Seconds(Next()) },
                "--duration" => options with { Duration = Seconds(Next()) },
                "--overload" => options with { Overload = Seconds(Next()) },
                "--burst" => options with { Burst = int.Parse(Next()) },
                "--scale-burst" => options with { ScaleBurst = int.Parse(Next()) },
                "--completion-duration" => options with { CompletionDuration = Seconds(Next()) },
                "--skip-scale" => options with { SkipScale = true },
                "--quiet-wait" => options with { QuietWait = Seconds(Next()) },
                "--retries" => options with { Retries = int.Parse(Next()) },
                "--out" => options with { OutputDirectory = Next() },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));
}
