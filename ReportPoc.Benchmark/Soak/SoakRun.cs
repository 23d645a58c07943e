using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Processes;
using ReportPoc.Benchmark.Results;
using Spectre.Console;

namespace ReportPoc.Benchmark.Soak;

/// <summary>
/// <c>--soak 30m</c>: async reports at a steady half of the LP limit (open loop, each followed through its status URL)
/// for the given time, while threads, open file descriptors, RSS and CPU of every process of the system — Api,
/// processor instances, LP stand-in, dev broker, PostgreSQL and the Aspire dashboard — are sampled. Writes
/// {out}/soak/results.{json,md} and one chart per quantity; a process whose figures still rise in the second half is flagged.
/// </summary>
public sealed class SoakRun(BenchmarkOptions options)
{
    /// <summary>The steady load: half of what LP can finish.</summary>
    private const double LoadFraction = 0.5;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var duration = options.Soak!.Value;
        var startedAt = DateTimeOffset.UtcNow;
        await using var system = await ModeSystem.StartAsync(options, SystemConfiguration.LpBoundWith(1), dashboard: true, cancellationToken);
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
        cancellationToken = interrupted.Token;
        using var client = new ReportPocClient(system.ApiUrl);
        var lp = await client.GetLpStateAsync(cancellationToken);
        await ModeSystem.WarmUpAsync(client, cancellationToken);

        var processes = system.Kafka is { } kafka ? SystemProcesses.Find(kafka) : [];
        if (processes.Count == 0)
        {
            throw new InvalidOperationException("The system's processes are not on this machine (or more than one system runs and none was started here): nothing to watch.");
        }

        var rate = LoadFraction * lp.LimitPerSecond;
        AnsiConsole.MarkupLineInterpolated($"Soak: {rate:F1} async reports/s for {duration}, sampling {processes.Count} processes every {options.SoakInterval.TotalSeconds:F0} s");
        await using var otherLoad = OtherLoad.Watch(system.Kafka);
        await using var watch = new ProcessWatch(processes, options.SoakInterval);
        var load = await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var task = progress.AddTask($"soak: {rate:F1} reports/s for {duration}", maxValue: 1);
            return await CompletionProbe.RunAsync(client, rate, LoadFraction, duration, done => task.Value = done, cancellationToken);
        });
        var samples = await watch.StopAsync();

        var results = new SoakResults(startedAt, MachineInfo.Describe(), system.ApiUrl.ToString(), duration.TotalMinutes, options.SoakInterval.TotalSeconds,
            load, otherLoad.Seen, SystemProcesses.CpuPressure(),
            samples.Select(process => ProcessTrend.From(process.Key, process.Value)).ToList());
        foreach (var file in await ModeOutput.WriteAsync(Path.Combine(options.OutputDirectory, "soak"), results, SoakReport.Markdown(results), SoakReport.Charts(results)))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        Console.WriteLine(SoakReport.SummaryLine(results));
        return 0;
    }
}

public sealed record SoakResults(DateTimeOffset StartedAt, string Machine, string Api, double Minutes, double SampleSeconds,
    CompletionResult Load, bool OtherLoadSeen, double? CpuPressureAtEnd, IReadOnlyList<ProcessTrend> Processes);
