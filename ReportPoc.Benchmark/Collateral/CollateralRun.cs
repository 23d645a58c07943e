using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Processes;
using ReportPoc.Benchmark.Results;
using Spectre.Console;

namespace ReportPoc.Benchmark.Collateral;

/// <summary>
/// <c>--collateral</c>: what one path's load costs everyone else. Cheap requests — a status read with its token and
/// /alive, plus the same two through the emulated as-is server's request threads — are measured on the idle system,
/// then while 64 clients load the sync path, the as-is thread-per-request variant of it, and the async path. The async
/// load comes last: every report it has accepted is still in Kafka afterwards. Writes {out}/collateral/.
/// </summary>
public sealed class CollateralRun(BenchmarkOptions options)
{
    public const string Idle = "idle";
    public const string SyncPath = "sync path";
    public const string AsIsEmulation = "as-is thread-per-request emulation";
    public const string AsyncPath = "async path";
    public const string StatusRead = "status GET";
    public const string AsIsStatusRead = "as-is status GET";

    private const string AsIsSync = "/api/as-is/reports/sync";

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var system = await ModeSystem.StartAsync(options, SystemConfiguration.LpBoundWith(1), dashboard: false, cancellationToken);
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
        cancellationToken = interrupted.Token;
        using var client = new ReportPocClient(system.ApiUrl);
        // The probes' own connections: they never queue behind a load's connection.
        using var probeClient = new ReportPocClient(system.ApiUrl);
        await ModeSystem.WarmUpAsync(client, cancellationToken);

        var statusUrl = await client.SubmitForStatusAsync(cancellationToken)
            ?? throw new InvalidOperationException("The Api did not accept the report whose status the probe reads.");
        var status = statusUrl.OriginalString;
        CheapRequest[] requests =
        [
            new(StatusRead, status),
            new("/alive", "/alive"),
            new(AsIsStatusRead, status.Replace("/api/reports/", "/api/as-is/reports/", StringComparison.Ordinal)),
            new("as-is /alive", "/api/as-is/alive"),
        ];

        (string Name, Func<CancellationToken, Task<HttpResponseMessage>>? Send)[] conditions =
        [
            (Idle, null),
            (SyncPath, client.SubmitSyncAsync),
            (AsIsEmulation, ct => client.PostReportAsync(AsIsSync, ct)),
            (AsyncPath, client.SubmitAsync),
        ];

        // The cheap requests once before measuring (their first calls JIT the endpoints, start the as-is request threads
        // and open the probe's connections), so the idle figure is the steady one.
        using (var probeWarmup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            probeWarmup.CancelAfter(options.Warmup);
            await CheapRequestProbe.RunAsync(probeClient, requests, options.ProbeRate, probeWarmup.Token);
        }

        var measured = new List<CollateralCondition>();
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            foreach (var (name, send) in conditions)
            {
                var task = progress.AddTask($"{name}: cheap requests at {options.ProbeRate:F0}/s each", maxValue: 1);
                await using var otherLoad = OtherLoad.Watch(system.Kafka);
                var condition = send is null
                    ? await IdleAsync(name, probeClient, requests, cancellationToken)
                    : await UnderLoadAsync(name, send, probeClient, requests, task, cancellationToken);
                measured.Add(condition with { Disturbed = otherLoad.Seen, CpuPressure = SystemProcesses.CpuPressure() });
                task.Value = 1;
            }
        });

        var results = new CollateralResults(startedAt, MachineInfo.Describe(), system.ApiUrl.ToString(), options.CollateralConcurrency, options.ProbeRate, measured);
        foreach (var file in await ModeOutput.WriteAsync(Path.Combine(options.OutputDirectory, "collateral"), results,
                     CollateralReport.Markdown(results), CollateralReport.Charts(results)))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        Console.WriteLine(CollateralReport.SummaryLine(results));
        return 0;
    }

    private async Task<CollateralCondition> IdleAsync(string name, ReportPocClient probeClient, CheapRequest[] requests, CancellationToken cancellationToken)
    {
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(options.Duration);
        return new CollateralCondition(name, null, await CheapRequestProbe.RunAsync(probeClient, requests, options.ProbeRate, window.Token));
    }

    /// <summary>The probes run during the load's measured window (after its warm-up: every client has had an answer).</summary>
    private async Task<CollateralCondition> UnderLoadAsync(string name, Func<CancellationToken, Task<HttpResponseMessage>> send, ReportPocClient probeClient,
        CheapRequest[] requests, ProgressTask task, CancellationToken cancellationToken)
    {
        using var stopProbes = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<IReadOnlyList<ProbeResult>>? probes = null;
        var load = await ClosedLoopLoad.RunAsync(name, send, options.CollateralConcurrency, options.Warmup, options.Duration, tick =>
        {
            probes ??= tick.Measuring ? CheapRequestProbe.RunAsync(probeClient, requests, options.ProbeRate, stopProbes.Token) : null;
            if (tick.Measuring && tick.Fraction >= 1)
            {
                stopProbes.Cancel(); // the window is over: the load's last requests drain now, not measured
            }

            task.Value = tick.Fraction;
        }, cancellationToken);
        await stopProbes.CancelAsync();
        return new CollateralCondition(name, load, probes is null ? [] : await probes);
    }
}

/// <param name="Load">The load that ran meanwhile (null on the idle system).</param>
public sealed record CollateralCondition(string Condition, LevelResult? Load, IReadOnlyList<ProbeResult> Probes)
{
    public bool Disturbed { get; init; }

    public double? CpuPressure { get; init; }
}

public sealed record CollateralResults(DateTimeOffset StartedAt, string Machine, string Api, int Concurrency, double ProbeRate,
    IReadOnlyList<CollateralCondition> Conditions)
{
    /// <summary>The named cheap request's latency under the named condition, if measured.</summary>
    public ProbeResult? Probe(string condition, string probe) =>
        Conditions.FirstOrDefault(measured => measured.Condition == condition)?.Probes.FirstOrDefault(result => result.Probe == probe);
}
