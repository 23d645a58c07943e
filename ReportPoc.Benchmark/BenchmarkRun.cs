using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Results;
using ReportPoc.Benchmark.SameLoad;
using ReportPoc.Benchmark.Scale;
using Spectre.Console;

namespace ReportPoc.Benchmark;

/// <summary>
/// The whole comparison. Against a running system (<c>--url</c>) it measures that system as configured. Otherwise
/// it starts the AppHost once per LP setting and adds processor instances through the pool's dashboard command:
/// LP-bound (capacity 8) with 1 and 2 instances, then with one instance again the request-level comparison; and LP
/// capacity out of the way with 1, 2, 3, 4 and 6 instances, the scale curve.
/// </summary>
public sealed class BenchmarkRun(BenchmarkOptions options)
{
    private const int WarmupReports = 8;
    private static readonly string[] MeasuredServices = ["ReportPoc.Api", "ReportPoc.Processor"];

    /// <summary>LP-bound, one more instance is enough to show that it adds nothing.</summary>
    private static readonly int[] LpBoundInstances = [1, 2];

    private TimeSpan _quietWaitLeft = options.QuietWait;
    private int _retriesLeft = options.Retries;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var results = new BenchmarkResults
        {
            StartedAt = DateTimeOffset.UtcNow,
            Machine = MachineInfo.Describe(),
            Target = options.ApiUrl is { } url
                ? $"already running at {url}"
                : "started by the tool (AppHost, local infrastructure mode) once per LP setting; processor instances added with the pool's dashboard command; " +
                  "the LP-bound start, whose closed-loop async levels and overload put far more unread reports into the dev broker than its memory holds, " +
                  "runs with the dev broker's bound lifted (it then drops the oldest unread reports, after the measurements that read them)",
            TargetRate = options.TargetRate,
        };
        AnsiConsole.MarkupLineInterpolated($"[bold]ReportPoc benchmark[/] — {results.Machine}");

        if (options.ApiUrl is { } apiUrl)
        {
            await using var running = SystemUnderTest.Running(apiUrl);
            await MeasureAsync(running, [running.Instances], results, fullComparison: !options.ScaleOnly, cancellationToken);
        }
        else
        {
            // Its bursts, completion and same-load phases come before the floods and stay far below the dev broker's memory.
            var lpBound = SystemConfiguration.LpBoundWith(LpBoundInstances.Max()) with { Overrides = [SystemConfiguration.DevBrokerBoundLifted] };
            await StartAndMeasureAsync(lpBound, options.SkipScale ? [1] : LpBoundInstances, results,
                fullComparison: !options.ScaleOnly, cancellationToken);
            if (!options.SkipScale)
            {
                await StartAndMeasureAsync(SystemConfiguration.LpUnbounded(options.Instances.Max()), options.Instances, results, fullComparison: false,
                    cancellationToken);
            }
        }

        foreach (var file in await ReportWriter.WriteAsync(results, options.OutputDirectory))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        // The one line to quote: the key ratios against their targets.
        Console.WriteLine(ReportWriter.SummaryLine(results));
        return 0;
    }

    private async Task StartAndMeasureAsync(SystemConfiguration configuration, int[] instances, BenchmarkResults results, bool fullComparison,
        CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLineInterpolated($"[grey]Starting the AppHost: {configuration.Name} ({string.Join(' ', configuration.AppHostArgs)})[/]");
        await using var system = await SystemUnderTest.StartAsync(configuration, cancellationToken);
        await MeasureAsync(system, instances, results, fullComparison, cancellationToken);
    }

    /// <param name="instanceCounts">A processor burst at each; a system the tool did not start is measured as it runs.</param>
    private async Task MeasureAsync(SystemUnderTest system, int[] instanceCounts, BenchmarkResults results, bool fullComparison,
        CancellationToken cancellationToken)
    {
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
        cancellationToken = interrupted.Token;
        using var client = new ReportPocClient(system.ApiUrl);
        var lp = await client.GetLpStateAsync(cancellationToken);
        var lpBound = lp.Capacity < SystemConfiguration.UnboundedLpCapacity;
        var setting = system.CanScale ? lpBound ? $"LP-bound (capacity {lp.Capacity})" : $"LP capacity {lp.Capacity}" : "as configured";

        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                // The bursts come first: the request-level phases leave a backlog behind that would skew them.
                foreach (var instances in options.SameLoadOnly ? [] : instanceCounts)
                {
                    var configuration = instances > 0 ? $"{setting}, {instances} instance{(instances == 1 ? "" : "s")}" : setting;
                    if (system.CanScale)
                    {
                        var scaling = progress.AddTask($"{configuration}: instances through the pool's command, waiting for the rebalance", maxValue: 1);
                        await system.ScaleToAsync(instances, client, cancellationToken);
                        scaling.Value = 1;
                    }

                    // A few reports per instance end to end first, so start-up costs (JIT, connection pools, group join)
                    // of a new instance stay out of the figures.
                    var warmup = progress.AddTask($"{configuration}: warm-up, async reports end to end", maxValue: 1);
                    await CompletionProbe.RunAsync(client, WarmupReports * Math.Max(1, instances), 0, TimeSpan.FromSeconds(1), done => warmup.Value = done,
                        cancellationToken);
                    warmup.Value = 1;

                    var burst = lpBound ? options.Burst : options.ScaleBurst * Math.Max(1, instances);
                    var task = progress.AddTask($"processor burst ({configuration}): {burst} reports", maxValue: 1);

                    results.Processor.Add(await QuietlyAsync(system.Kafka, task, () => ProcessorBurst.RunAsync(client, configuration, lpBound, instances, burst,
                            (status, done) => { task.Description = $"processor burst ({configuration}): {status}"; task.Value = done; }, cancellationToken),
                        (run, disturbed) => run with { Disturbed = disturbed }, cancellationToken));
                    task.Value = 1;
                }

                if (!fullComparison)
                {
                    return;
                }

                // The request-level comparison runs with one processor instance, as a person first sees the system.
                if (system.CanScale)
                {
                    await system.ScaleToAsync(1, client, cancellationToken);
                }

                results.LpProfile = lp;
                // Before any closed-loop async level: those leave a backlog that would stand in front of these reports.
                await SameLoadAsync(progress, results, client, lp, system.Kafka, cancellationToken);
                if (options.SameLoadOnly)
                {
                    return;
                }

                // Sync first, while the processor is idle: both paths share the LP system. Async last, because every
                // 202 it gets leaves a report for the processor, and the backlog outlives the run.
                await LevelsAsync(progress, results, BenchmarkResults.Sync, client.SubmitSyncAsync, system.Kafka, cancellationToken);
                foreach (var fraction in options.CompletionLoads)
                {
                    var rate = fraction * lp.LimitPerSecond;
                    var probe = progress.AddTask($"async accept → Completed at {rate:F1} reports/s", maxValue: 1);
                    results.Completion.Add(await CompletionProbe.RunAsync(client, rate, fraction, options.CompletionDuration, done => probe.Value = done, cancellationToken));
                    probe.Value = 1;
                }

                await LevelsAsync(progress, results, BenchmarkResults.Baseline, client.BaselineAsync, system.Kafka, cancellationToken);
                await LevelsAsync(progress, results, BenchmarkResults.Async, client.SubmitAsync, system.Kafka, cancellationToken);
                await OverloadAsync(progress, results, client, system.Kafka, cancellationToken);
            });
    }

    private async Task LevelsAsync(ProgressContext progress, BenchmarkResults results, string scenario,
        Func<CancellationToken, Task<HttpResponseMessage>> send, string? kafka, CancellationToken cancellationToken)
    {
        foreach (var concurrency in options.Levels)
        {
            var task = progress.AddTask($"{scenario,-8} c={concurrency,-4}", maxValue: 1);
            var level = await QuietlyAsync(kafka, task, () => ClosedLoopLoad.RunAsync(scenario, send, concurrency, options.Warmup, options.Duration,
                    tick => Show(task, scenario, concurrency, tick), cancellationToken),
                (result, disturbed) => result with { Disturbed = disturbed }, cancellationToken);
            results.Levels.Add(level);
            task.Description = $"{scenario,-8} c={concurrency,-4} {level.Throughput,8:F1} req/s  p99 {level.Latency.P99Ms,9:F1} ms  errors {level.Errors}";
            task.Value = 1;
        }
    }

    /// <summary>
    /// Each path at the same offered rates — below LP's limit, at it and twice it — for the same time, each run followed
    /// until its last report is final (its drain), so the next starts on an empty system. Sync first at each rate, as in
    /// the levels: it leaves nothing behind.
    /// </summary>
    private async Task SameLoadAsync(ProgressContext progress, BenchmarkResults results, ReportPocClient client, LpState lp, string? kafka,
        CancellationToken cancellationToken)
    {
        // Long enough for twice LP's limit to drain (a backlog of one load's length at LP's pace), with room to spare.
        var giveUp = TimeSpan.FromSeconds(Math.Max(60, 3 * options.SameLoadDuration.TotalSeconds));
        foreach (var (load, fraction) in SameLoadLevels.All)
        {
            foreach (var path in new[] { BenchmarkResults.Sync, BenchmarkResults.Async })
            {
                var label = $"same load {load} LP's limit ({fraction * lp.LimitPerSecond:F1} reports/s, {options.SameLoadDuration.TotalSeconds:F0} s): {path}";
                var task = progress.AddTask(label, maxValue: 1);
                results.SameLoad.Add(await QuietlyAsync(kafka, task,
                    () => SameLoadProbe.RunAsync(client, path, load, fraction, lp.LimitPerSecond, options.SameLoadDuration, giveUp, done => task.Value = done, cancellationToken),
                    (run, disturbed) => run with { Disturbed = disturbed }, cancellationToken));
                task.Value = 1;
            }
        }
    }

    /// <summary>Async submissions far beyond what the processor finishes, while the services' working sets are sampled.</summary>
    private async Task OverloadAsync(ProgressContext progress, BenchmarkResults results, ReportPocClient client, string? kafka, CancellationToken cancellationToken)
    {
        var concurrency = options.OverloadConcurrency;
        var task = progress.AddTask($"overload: async c={concurrency} for {options.Overload.TotalSeconds:F0} s, memory sampled", maxValue: 1);
        // Without the system's Kafka address its processes cannot be told from another system's: no memory figures then.
        await using var memory = kafka is null ? null : new MemoryWatch(kafka, MeasuredServices);
        await WaitForQuietAsync(kafka, task, cancellationToken);
        await using var otherLoad = OtherLoad.Watch(kafka);
        var overload = await ClosedLoopLoad.RunAsync("overload", client.SubmitAsync, concurrency, TimeSpan.Zero, options.Overload,
            tick => Show(task, "overload", concurrency, tick), cancellationToken);
        results.Overload = overload with { Disturbed = otherLoad.Seen };
        results.OverloadSeconds = options.Overload.TotalSeconds;
        results.OverloadConcurrency = concurrency;
        if (memory is { FoundAll: true })
        {
            results.Memory.AddRange(await memory.StopAsync());
        }

        task.Value = 1;
    }

    /// <summary>
    /// Measures when nothing else competes for the cores: waits for other load to finish, and repeats a measurement it
    /// disturbed. Both draw on budgets for the whole run (QuietWait, Retries), so a machine that is never quiet still
    /// gets a result in bounded time; a measurement still disturbed is kept and flagged.
    /// </summary>
    private async Task<T> QuietlyAsync<T>(string? kafka, ProgressTask task, Func<Task<T>> measure, Func<T, bool, T> flag, CancellationToken cancellationToken)
    {
        while (true)
        {
            await WaitForQuietAsync(kafka, task, cancellationToken);
            await using var otherLoad = OtherLoad.Watch(kafka);
            var result = await measure();
            if (!otherLoad.Seen || _retriesLeft <= 0)
            {
                return flag(result, otherLoad.Seen);
            }

            _retriesLeft--;
        }
    }

    private async Task WaitForQuietAsync(string? kafka, ProgressTask task, CancellationToken cancellationToken)
    {
        if (_quietWaitLeft <= TimeSpan.Zero || !await OtherLoad.IsBusyAsync(kafka, cancellationToken))
        {
            return;
        }

        var description = task.Description;
        task.Description = description + " — waiting for a test run / another system to finish";
        var started = DateTime.UtcNow;
        await OtherLoad.WaitForQuietAsync(kafka, _quietWaitLeft, cancellationToken);
        _quietWaitLeft -= DateTime.UtcNow - started;
        task.Description = description;
    }

    private static void Show(ProgressTask task, string scenario, int concurrency, LoadTick tick)
    {
        task.Description = $"{scenario,-8} c={concurrency,-4} {(tick.Measuring ? "measuring" : "warming up")} {tick.ResponsesPerSecond,8:F0} req/s";
        task.Value = tick.Fraction;
    }
}
