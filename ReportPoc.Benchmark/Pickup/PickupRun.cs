using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Processes;
using ReportPoc.Benchmark.Results;
using Spectre.Console;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Pickup;

/// <summary>
/// <c>--pickup</c>: how soon a processor starts an accepted report, and what keeping it soon costs an idle system.
/// Per consumer fetch wait (local mode's 10 ms and librdkafka's default 500 ms, one AppHost each): the CPU every process
/// uses while nothing is submitted; pickup (insertedAt − acceptedAt, the reports' own timestamps) and accept → Completed
/// at half the LP limit; and, one report at a time, accept → Completed on the async path against the sync path's own
/// time for one report. Writes {out}/pickup/.
/// </summary>
public sealed class PickupRun(BenchmarkOptions options)
{
    private const double HalfTheLpLimit = 0.5;

    private static readonly TimeSpan IdleSettling = TimeSpan.FromSeconds(10);

    /// <summary>One report every 2 s: each is done (≈ 1.2 s) before the next, so nothing queues.</summary>
    private const double LowLoadPerSecond = 0.5;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        int?[] fetchWaits = options.ApiUrl is null ? [.. options.FetchWaits.Select(wait => (int?)wait)] : [null];
        var measurements = new List<PickupMeasurement>();
        foreach (var fetchWait in fetchWaits)
        {
            var configuration = SystemConfiguration.LpBoundWith(1) with { Overrides = fetchWait is { } ms ? [$"Infrastructure:DevBrokerFetchWaitMs={ms}"] : [] };
            // With the dashboard, as ./run.sh runs it: without one the services' telemetry exports fail and are retried,
            // which is idle CPU a real run does not spend.
            await using var system = await ModeSystem.StartAsync(options, configuration, dashboard: true, cancellationToken);
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
            measurements.Add(await MeasureAsync(system, fetchWait, interrupted.Token));
        }

        var results = new PickupResults(startedAt, MachineInfo.Describe(), measurements);
        foreach (var file in await ModeOutput.WriteAsync(Path.Combine(options.OutputDirectory, "pickup"), results, PickupReport.Markdown(results), PickupReport.Charts(results)))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        Console.WriteLine(PickupReport.SummaryLine(results));
        return 0;
    }

    private async Task<PickupMeasurement> MeasureAsync(SystemUnderTest system, int? fetchWait, CancellationToken cancellationToken)
    {
        using var client = new ReportPocClient(system.ApiUrl);
        var lp = await client.GetLpStateAsync(cancellationToken);
        await ModeSystem.WarmUpAsync(client, cancellationToken);
        var processes = system.Kafka is { } kafka ? SystemProcesses.Find(kafka) : [];
        await using var otherLoad = OtherLoad.Watch(system.Kafka);

        return await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var label = fetchWait is { } ms ? $"fetch wait {ms} ms" : "as configured";
            var idleTask = progress.AddTask($"{label}: idle CPU for {options.IdleWindow.TotalSeconds:F0} s", maxValue: 1);
            var idle = await IdleCpuAsync(processes, label, cancellationToken);
            idleTask.Value = 1;

            var rate = HalfTheLpLimit * lp.LimitPerSecond;
            var pickupTask = progress.AddTask($"{label}: pickup at {rate:F1} reports/s", maxValue: 1);
            var pickup = await CompletionProbe.RunAsync(client, rate, HalfTheLpLimit, options.CompletionDuration, done => pickupTask.Value = done, cancellationToken);

            var asyncTask = progress.AddTask($"{label}: {options.Sequential} async reports one at a time", maxValue: 1);
            var lowLoadAsync = await CompletionProbe.RunAsync(client, LowLoadPerSecond, LowLoadPerSecond / lp.LimitPerSecond,
                TimeSpan.FromSeconds(options.Sequential / LowLoadPerSecond), done => asyncTask.Value = done, cancellationToken);

            var syncTask = progress.AddTask($"{label}: {options.Sequential} sync reports one at a time", maxValue: 1);
            var lowLoadSync = await SyncOneAtATimeAsync(client, done => syncTask.Value = done, cancellationToken);

            return new PickupMeasurement(fetchWait, idle, pickup, lowLoadAsync, lowLoadSync)
            {
                Disturbed = otherLoad.Seen,
                CpuPressure = SystemProcesses.CpuPressure(),
            };
        });
    }

    /// <summary>
    /// CPU each process uses while nothing is submitted, as a share of one core, after a settling pause (background
    /// JIT tiering after start-up and warm-up is not what idle costs). With --profile-idle, a CPU sample of the
    /// processor meanwhile.
    /// </summary>
    private async Task<IReadOnlyList<IdleCpu>> IdleCpuAsync(IReadOnlyList<SystemProcess> processes, string label, CancellationToken cancellationToken)
    {
        await Task.Delay(IdleSettling, cancellationToken);
        var before = processes.ToDictionary(process => process, process => SystemProcesses.CpuSeconds(process.Pid));
        var processor = processes.FirstOrDefault(process => process.Name == "ReportPoc.Processor");
        var profile = options.ProfileIdle && processor is not null
            ? ProcessProfile.CollectAsync(processor.Pid, TimeSpan.Zero, options.IdleWindow, "idle-processor-" + label.Replace(' ', '-'), cancellationToken)
            : null;
        await Task.Delay(options.IdleWindow, cancellationToken);
        if (profile is not null)
        {
            var file = Path.Combine(options.OutputDirectory, "pickup", $"profile-idle-processor-{label.Replace(' ', '-')}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, await profile, cancellationToken);
        }

        return processes.Select(process => new IdleCpu(process.Name, process.Pid,
            (SystemProcesses.CpuSeconds(process.Pid) - before[process]) / options.IdleWindow.TotalSeconds)).ToList();
    }

    private async Task<SequentialResult> SyncOneAtATimeAsync(ReportPocClient client, Action<double> onProgress, CancellationToken cancellationToken)
    {
        var latency = LatencySummary.NewHistogram();
        var beforeLpRun = LatencySummary.NewHistogram();
        var completed = 0;
        for (var i = 0; i < options.Sequential; i++)
        {
            if (await client.SubmitSyncForStatusAsync(cancellationToken) is { Status: ReportStatus.Completed, Timestamps: { CompletedAt: { } completedAt } times })
            {
                completed++;
                latency.RecordValue((completedAt - times.AcceptedAt).Ticks / 10);
                if (times.LpRunRequestedAt is { } lpRun)
                {
                    beforeLpRun.RecordValue(Math.Max(0, (lpRun - times.AcceptedAt).Ticks / 10));
                }
            }

            onProgress((i + 1.0) / options.Sequential);
        }

        return new SequentialResult(options.Sequential, completed, LatencySummary.From(latency), LatencySummary.From(beforeLpRun));
    }
}

/// <param name="CoreShare">CPU seconds per second: 0.02 is 2 % of one core.</param>
public sealed record IdleCpu(string Process, int Pid, double CoreShare);

/// <param name="Latency">accept → Completed from the report's own timestamps.</param>
/// <param name="BeforeLpRun">accept → LPRUN claimed: the path's own time without LPRUN's jittered second.</param>
public sealed record SequentialResult(int Submitted, int Completed, LatencySummary Latency, LatencySummary BeforeLpRun);

/// <param name="FetchWaitMs">The consumers' fetch.wait.max.ms; null when measured as configured (--url).</param>
public sealed record PickupMeasurement(int? FetchWaitMs, IReadOnlyList<IdleCpu> Idle, CompletionResult HalfLpLimit, CompletionResult LowLoadAsync,
    SequentialResult LowLoadSync)
{
    public bool Disturbed { get; init; }

    public double? CpuPressure { get; init; }

    public double ProcessorIdleCoreShare => Idle.Where(process => process.Process == "ReportPoc.Processor").Select(process => process.CoreShare).DefaultIfEmpty(double.NaN).Max();
}

public sealed record PickupResults(DateTimeOffset StartedAt, string Machine, IReadOnlyList<PickupMeasurement> Measurements);
