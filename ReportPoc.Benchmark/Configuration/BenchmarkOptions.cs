using System.Globalization;

namespace ReportPoc.Benchmark.Configuration;

/// <summary>
/// Command line: <c>[compare] [--url URL] [--levels 1,8,32,64,128] [--warmup 3] [--duration 10] [--overload 60]
/// [--burst 240] [--scale-burst 600] [--instances 1,2,3,4,6] [--target-rate 200] [--completion-duration 20]
/// [--same-load-duration 20] [--same-load]
/// [--quiet-wait 300] [--retries 4] [--out docs/benchmarks] [--skip-scale | --scale-only] [--rewrite]</c>,
/// or one of the round-2 modes: <c>--soak 30m</c>, <c>--collateral</c>, <c>--pickup</c>, <c>--accept</c>, <c>--outcomes</c> (see docs/benchmarks.md).
/// Without <c>--url</c> (or <c>services__api__http__0</c>, set by an AppHost <c>WithReference(api)</c>) the tool
/// starts the AppHost itself, once per LP setting, adds processor instances through the pool's dashboard command,
/// and tears it down again.
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

    /// <summary>
    /// Reports per processor instance in a burst when LP capacity is out of the way (the processors are the
    /// bottleneck): the burst grows with the instances so each lasts ≈ 20 s while the gain holds.
    /// </summary>
    public int ScaleBurst { get; init; } = 600;

    /// <summary>The scale curve's instance counts with LP capacity out of the way (LP-bound: 1 and 2).</summary>
    public int[] Instances { get; init; } = [1, 2, 3, 4, 6];

    /// <summary>The rate the summary's partition arithmetic sizes a production topic for, in reports a second.</summary>
    public double TargetRate { get; init; } = 200;

    /// <summary>Offered rates for the accept→completed probe, as fractions of the LP limit (open loop, below saturation).</summary>
    public double[] CompletionLoads { get; init; } = [0.5, 0.9];

    public TimeSpan CompletionDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long each path is offered each same-load rate (below, at and twice LP's limit): six runs plus their drains.</summary>
    public TimeSpan SameLoadDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// --same-load: only the same-load comparison (each path at the same offered rates, to acknowledgement and to
    /// Completed, with the backlog and its drain), LP-bound with one instance; written to --out like the comparison.
    /// </summary>
    public bool SameLoadOnly { get; init; }

    /// <summary>Only the LP-bound start with one instance: the request-level comparison, no scale curve.</summary>
    public bool SkipScale { get; init; }

    /// <summary>
    /// --rewrite: measure nothing; write results.md, the charts and results.json again from {out}/results.json, after a
    /// change to the analysis. On the machine that measured: the scale curve reads this machine's core count.
    /// </summary>
    public bool Rewrite { get; init; }

    /// <summary>Only the processor bursts (LP-bound 1 vs 2, the curve): no request-level comparison, no overload.</summary>
    public bool ScaleOnly { get; init; }

    /// <summary>How long the whole run may wait, in total, for other load (a test run, another system) to finish before measuring.</summary>
    public TimeSpan QuietWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many measurements disturbed by other load the whole run may repeat.</summary>
    public int Retries { get; init; } = 4;

    public string OutputDirectory { get; init; } = Path.Combine("docs", "benchmarks");

    // Round 2 modes (issue 13), each run on its own and written to a folder of its own under OutputDirectory.

    /// <summary><c>--soak 30m</c>: steady async load at half the LP limit for this long, watching every process (Soak/).</summary>
    public TimeSpan? Soak { get; init; }

    /// <summary>How often the soak samples threads, open files, RSS and CPU of every process.</summary>
    public TimeSpan SoakInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>--collateral</c>: cheap requests on an idle system and while each path is under load (Collateral/).</summary>
    public bool Collateral { get; init; }

    public int CollateralConcurrency { get; init; } = 64;

    /// <summary>Requests a second of each cheap request while measuring collateral damage (open loop).</summary>
    public double ProbeRate { get; init; } = 20;

    /// <summary><c>--pickup</c>: pickup at half the LP limit, idle CPU, and low-load end to end vs sync, per fetch wait (Pickup/).</summary>
    public bool Pickup { get; init; }

    /// <summary>The consumers' fetch.wait.max.ms values the pickup mode compares (local mode's 10 and librdkafka's default 500).</summary>
    public int[] FetchWaits { get; init; } = [10, 500];

    /// <summary>
    /// How long the pickup mode measures the idle processes' CPU: five minutes, so that what runs every few seconds (a
    /// health probe, a keep-alive, a metric export) and what settles after the warm-up (JIT tiering) weigh as they do.
    /// </summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>With --pickup: a dotnet-trace CPU sample of the idle processor, reported as topN.</summary>
    public bool ProfileIdle { get; init; }

    /// <summary>Reports sent one at a time on each path for the low-load end-to-end comparison.</summary>
    public int Sequential { get; init; } = 20;

    /// <summary><c>--accept</c>: the accept path vs the same Api's /alive with this tool and hey, as configured and with the trace cap off (Accept/).</summary>
    public bool Accept { get; init; }

    /// <summary>With --accept: how often /alive and async are measured back to back with each tool (ratios are medians).</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>With --accept: a dotnet-trace CPU sample of the Api, then of the dashboard, each during an extra (unmeasured) async run, reported as topN.</summary>
    public bool ProfileApi { get; init; }

    /// <summary><c>--outcomes</c>: notification delay, the bridge vs the as-is path, a migration rehearsal and many open streams (Outcomes/).</summary>
    public bool Outcomes { get; init; }

    /// <summary>With --outcomes: how long reports are offered while the notification delay is measured.</summary>
    public TimeSpan OutcomeDuration { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>With --outcomes: how long each bridge/as-is condition offers load, and each accept measurement beside the streams.</summary>
    public TimeSpan CompatDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>With --outcomes: the bridge's wait for an outcome before it answers 202 (Compatibility:BridgeWait, given to the AppHost).</summary>
    public TimeSpan BridgeWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>With --outcomes: streams held open at once on the one Api instance.</summary>
    public int Streams { get; init; } = 2000;

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
                "--same-load" => options with { SameLoadOnly = true, SkipScale = true },
                "--same-load-duration" => options with { SameLoadDuration = Seconds(Next()) },
                "--instances" => options with { Instances = Next().Split(',').Select(int.Parse).Order().Distinct().ToArray() },
                "--target-rate" => options with { TargetRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--skip-scale" => options with { SkipScale = true },
                "--rewrite" => options with { Rewrite = true },
                "--scale-only" => options with { ScaleOnly = true },
                "--quiet-wait" => options with { QuietWait = Seconds(Next()) },
                "--retries" => options with { Retries = int.Parse(Next()) },
                "--out" => options with { OutputDirectory = Next() },
                "--soak" => options with { Soak = TimeOf(Next()) },
                "--soak-interval" => options with { SoakInterval = TimeOf(Next()) },
                "--collateral" => options with { Collateral = true },
                "--collateral-clients" => options with { CollateralConcurrency = int.Parse(Next()) },
                "--probe-rate" => options with { ProbeRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pickup" => options with { Pickup = true },
                "--fetch-waits" => options with { FetchWaits = Next().Split(',').Select(int.Parse).ToArray() },
                "--idle-window" => options with { IdleWindow = TimeOf(Next()) },
                "--sequential" => options with { Sequential = int.Parse(Next()) },
                "--accept" => options with { Accept = true },
                "--profile-idle" => options with { ProfileIdle = true },
                "--rounds" => options with { Rounds = int.Parse(Next()) },
                "--profile-api" => options with { ProfileApi = true },
                "--outcomes" => options with { Outcomes = true },
                "--outcome-duration" => options with { OutcomeDuration = TimeOf(Next()) },
                "--compat-duration" => options with { CompatDuration = TimeOf(Next()) },
                "--bridge-wait" => options with { BridgeWait = TimeOf(Next()) },
                "--streams" => options with { Streams = int.Parse(Next()) },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        return options.SkipScale && options.ScaleOnly
            ? throw new ArgumentException("--skip-scale (or --same-load) and --scale-only leave nothing to measure together.")
            : options;
    }

    private static TimeSpan Seconds(string value) => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture));

    /// <summary>Seconds, or a number with a unit: 90s, 30m, 1h.</summary>
    private static TimeSpan TimeOf(string value) => value[^1] switch
    {
        's' => Seconds(value[..^1]),
        'm' => TimeSpan.FromMinutes(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        'h' => TimeSpan.FromHours(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ => Seconds(value),
    };
}
