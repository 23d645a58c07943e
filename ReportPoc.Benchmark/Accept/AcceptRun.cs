using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Processes;
using ReportPoc.Benchmark.Results;
using Spectre.Console;

namespace ReportPoc.Benchmark.Accept;

/// <summary>
/// <c>--accept</c>: the async accept path against the same Api's /alive at 64 clients, measured in the same run by this
/// tool and by hey, with the dashboard receiving the telemetry as under ./run.sh; once as ./run.sh runs it (every trace
/// up to Telemetry:MaxTracesPerSecond new traces a second per service) and once with every trace offered to the
/// exporters (the cap off, Telemetry:MaxTracesPerSecond=0), so that what the cap buys is measured in the same run.
/// The Api's CPU time per answer is read from /proc for each measurement. Writes {out}/accept/.
/// </summary>
public sealed class AcceptRun(BenchmarkOptions options)
{
    private const int Clients = 64;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        if (!HeyRunner.IsInstalled())
        {
            AnsiConsole.MarkupLine("[yellow]hey is not installed (apt-get install -y hey): only this tool's figures are measured[/]");
        }

        // null: as configured (a system at --url, or the AppHost's defaults); 0: the trace cap off.
        double?[] caps = options.ApiUrl is null ? [null, 0] : [null];
        var measurements = new List<AcceptMeasurement>();
        foreach (var cap in caps)
        {
            var configuration = SystemConfiguration.LpBoundWith(1) with
            {
                // hey at 64 connections accepts more reports in seconds than the dev broker holds unread (SystemConfiguration).
                Overrides = cap is { } c
                    ? [SystemConfiguration.DevBrokerBoundLifted, $"Telemetry:MaxTracesPerSecond={c.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]
                    : [SystemConfiguration.DevBrokerBoundLifted],
            };
            await using var system = await ModeSystem.StartAsync(options, configuration, dashboard: true, cancellationToken);
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
            measurements.Add(await MeasureAsync(system, cap, interrupted.Token));
        }

        var results = new AcceptResults(startedAt, MachineInfo.Describe(), Clients, options.Duration.TotalSeconds, measurements);
        foreach (var file in await ModeOutput.WriteAsync(Path.Combine(options.OutputDirectory, "accept"), results, AcceptReport.Markdown(results), AcceptReport.Charts(results)))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        Console.WriteLine(AcceptReport.SummaryLine(results));
        return 0;
    }

    private async Task<AcceptMeasurement> MeasureAsync(SystemUnderTest system, double? traceCap, CancellationToken cancellationToken)
    {
        using var client = new ReportPocClient(system.ApiUrl);
        await ModeSystem.WarmUpAsync(client, cancellationToken);
        var processes = system.Kafka is { } kafka ? SystemProcesses.Find(kafka) : [];
        var api = processes.FirstOrDefault(process => process.Name == "ReportPoc.Api");
        // What the telemetry costs where it is received: the dashboard ingests every recorded span, log and metric.
        var dashboard = processes.FirstOrDefault(process => process.Name == "Aspire.Dashboard");
        var cpu = new CpuReader(api, dashboard);
        var label = traceCap is null ? "as configured" : "every trace offered";
        var levels = new List<AcceptLevel>();
        var profiles = new List<(string Label, string Report)>();

        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            // Alternating, so that neither endpoint always runs with the backlog of the async runs before it.
            (string Tool, string Endpoint, Func<Task<Measured>> Run)[] runs =
            [
                ("ReportPoc.Benchmark", "/alive", () => ToolAsync("/alive", client.AliveAsync, cpu, cancellationToken)),
                ("ReportPoc.Benchmark", "async", () => ToolAsync("async", client.SubmitAsync, cpu, cancellationToken)),
                .. HeyRunner.IsInstalled()
                    ? new (string, string, Func<Task<Measured>>)[]
                    {
                        ("hey", "/alive", () => HeyAsync(new Uri(system.ApiUrl, "/alive"), post: false, cpu, cancellationToken)),
                        ("hey", "async", () => HeyAsync(new Uri(system.ApiUrl, "/api/reports"), post: true, cpu, cancellationToken)),
                    }
                    : [],
            ];
            // Rounds: on a noisy machine one pair of runs can land in a quiet and a busy moment; the ratios are medians over rounds.
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var (tool, endpoint, run) in runs)
                {
                    var task = progress.AddTask($"{label}: round {round}: {tool} {endpoint} c={Clients}", maxValue: 1);
                    await using var otherLoad = OtherLoad.Watch(system.Kafka);
                    var measured = await run();
                    levels.Add(new AcceptLevel(round, tool, endpoint, measured.Responses, measured.Errors, measured.Throughput, measured.P50Ms, measured.P99Ms,
                        PerAnswerMs(measured.Cpu.Api, measured.Responses), PerAnswerMs(measured.Cpu.Dashboard, measured.Responses), otherLoad.Seen,
                        SystemProcesses.CpuPressure()));
                    task.Value = 1;
                }
            }

            // --profile-api: a CPU sample of the Api, then of the dashboard, each under the same async load in a run of its
            // own (sampling costs CPU, so no measured figure comes from these runs).
            if (options.ProfileApi)
            {
                foreach (var (name, process) in new[] { ("api", api), ("dashboard", dashboard) })
                {
                    if (process is null)
                    {
                        continue;
                    }

                    var task = progress.AddTask($"{label}: CPU sample of the {name} under async load (not measured)", maxValue: 1);
                    var profile = ProcessProfile.CollectAsync(process.Pid, options.Warmup + TimeSpan.FromSeconds(1), options.Duration - TimeSpan.FromSeconds(2),
                        $"accept-{name}-" + label.Replace(' ', '-'), cancellationToken);
                    await ClosedLoopLoad.RunAsync("profiled", client.SubmitAsync, Clients, options.Warmup, options.Duration, _ => { }, cancellationToken);
                    profiles.Add(($"{name}-{label}", await profile));
                    task.Value = 1;
                }
            }
        });

        foreach (var (name, report) in profiles)
        {
            var file = Path.Combine(options.OutputDirectory, "accept", $"profile-{name.Replace(' ', '-')}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, report, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        return new AcceptMeasurement(SampleRatio: null, levels) { MaxTracesPerSecond = traceCap };
    }

    /// <summary>This tool's closed loop; CPU is read at the start and the end of the measured window only.</summary>
    private async Task<Measured> ToolAsync(string scenario, Func<CancellationToken, Task<HttpResponseMessage>> send, CpuReader cpu, CancellationToken cancellationToken)
    {
        (double Api, double Dashboard)? cpuStart = null;
        (double Api, double Dashboard)? cpuEnd = null;
        var level = await ClosedLoopLoad.RunAsync(scenario, send, Clients, options.Warmup, options.Duration, tick =>
        {
            if (tick.Measuring)
            {
                cpuStart ??= cpu.Read();
                cpuEnd = tick.Fraction >= 1 ? cpuEnd ?? cpu.Read() : null;
            }
        }, cancellationToken);
        var used = cpuStart is { } start && cpuEnd is { } end ? (end.Api - start.Api, end.Dashboard - start.Dashboard) : (double.NaN, double.NaN);
        return new Measured(level.Responses, level.Errors, level.Throughput, level.Latency.P50Ms, level.Latency.P99Ms, used);
    }

    /// <summary>hey has no warm-up: the whole run is measured, and CPU around it.</summary>
    private async Task<Measured> HeyAsync(Uri url, bool post, CpuReader cpu, CancellationToken cancellationToken)
    {
        var start = cpu.Read();
        var hey = await HeyRunner.RunAsync(url, Clients, options.Duration, post, cancellationToken);
        var end = cpu.Read();
        return new Measured(hey.Responses, hey.Errors, hey.Throughput, hey.P50Ms, hey.P99Ms, (end.Api - start.Api, end.Dashboard - start.Dashboard));
    }

    private static double PerAnswerMs(double cpuSeconds, long answers) => answers > 0 ? 1000 * cpuSeconds / answers : double.NaN;

    private sealed record Measured(long Responses, long Errors, double Throughput, double P50Ms, double P99Ms, (double Api, double Dashboard) Cpu);

    /// <summary>CPU seconds so far of the Api and the dashboard (NaN for one not found on this machine).</summary>
    private sealed class CpuReader(SystemProcess? api, SystemProcess? dashboard)
    {
        public (double Api, double Dashboard) Read() => (Of(api), Of(dashboard));

        private static double Of(SystemProcess? process) => process is null ? double.NaN : SystemProcesses.CpuSeconds(process.Pid);
    }
}

/// <param name="ApiCpuMsPerAnswer">The Api process's CPU time over the measurement divided by its answers.</param>
/// <param name="DashboardCpuMsPerAnswer">The same for the Aspire dashboard, which receives the telemetry.</param>
public sealed record AcceptLevel(int Round, string Tool, string Endpoint, long Responses, long Errors, double Throughput, double P50Ms, double P99Ms,
    double ApiCpuMsPerAnswer, double DashboardCpuMsPerAnswer, bool Disturbed, double? CpuPressure);

/// <param name="SampleRatio">Telemetry:TraceSampleRatio of the run where the run set one (runs before the trace cap); null: as configured.</param>
public sealed record AcceptMeasurement(double? SampleRatio, IReadOnlyList<AcceptLevel> Levels)
{
    /// <summary>Telemetry:MaxTracesPerSecond of the run where the run set one (0: no cap); null: as configured.</summary>
    public double? MaxTracesPerSecond { get; init; }

    /// <summary>Measured as ./run.sh runs it: neither the ratio nor the cap changed (a ratio of 1 was the default before the cap).</summary>
    public bool AsConfigured => SampleRatio is null or 1.0 && MaxTracesPerSecond is null;

    public bool Measured(string tool) => Levels.Any(level => level.Tool == tool);

    /// <summary>Median over rounds of async ÷ /alive answers per second, each round's pair measured back to back.</summary>
    public double? ThroughputRatio(string tool) => MedianOverRounds(tool, (async, alive) => alive.Throughput > 0 ? async.Throughput / alive.Throughput : null);

    /// <summary>Median over rounds of async p99 ÷ /alive p99.</summary>
    public double? P99Ratio(string tool) => MedianOverRounds(tool, (async, alive) => alive.P99Ms > 0 ? async.P99Ms / alive.P99Ms : null);

    /// <summary>Median over rounds of the Api's CPU per async answer ÷ per /alive answer.</summary>
    public double? CpuRatio(string tool) => MedianOverRounds(tool, (async, alive) => alive.ApiCpuMsPerAnswer > 0 ? async.ApiCpuMsPerAnswer / alive.ApiCpuMsPerAnswer : null);

    public double MedianOf(string tool, string endpoint, Func<AcceptLevel, double> value) =>
        Median(Levels.Where(level => level.Tool == tool && level.Endpoint == endpoint).Select(value).Where(v => !double.IsNaN(v)).ToList()) ?? double.NaN;

    private double? MedianOverRounds(string tool, Func<AcceptLevel, AcceptLevel, double?> ratio) =>
        Median(Levels.Where(level => level.Tool == tool && level.Endpoint == "async")
            .Select(async => Levels.FirstOrDefault(alive => alive.Tool == tool && alive.Endpoint == "/alive" && alive.Round == async.Round) is { } alive
                ? ratio(async, alive)
                : null)
            .OfType<double>().ToList());

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

public sealed record AcceptResults(DateTimeOffset StartedAt, string Machine, int Clients, double Seconds, IReadOnlyList<AcceptMeasurement> Measurements);
