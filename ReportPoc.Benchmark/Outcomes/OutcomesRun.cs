using ReportPoc.Benchmark.Configuration;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Benchmark.Processes;
using ReportPoc.Benchmark.Results;
using ReportPoc.Contracts.Reports;
using Spectre.Console;

namespace ReportPoc.Benchmark.Outcomes;

/// <summary>
/// <c>--outcomes</c>: the other half of async, measured on one AppHost start (LP-bound, one processor instance): how soon
/// a client learns the outcome (event stream vs polling at half LP's limit); the bridge against the as-is path at the
/// same offered load, below and above LP's limit; a migration rehearsal (clients moved between paths under load); and
/// many open streams on one Api instance. Writes {out}/outcomes/.
/// </summary>
public sealed class OutcomesRun(BenchmarkOptions options)
{
    private const double HalfTheLpLimit = 0.5;
    private static readonly double[] CompatLoads = [0.5, 2.0];

    /// <summary>The accept rate measured beside the open streams: well inside what one Api instance answers, so the streams' cost shows.</summary>
    private const double AcceptBesideStreams = 100;

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var configuration = SystemConfiguration.LpBoundWith(1) with
        {
            Overrides =
            [
                // One benchmark client opens every stream: the per-client bound is lifted for it, the instance's bound kept above the count.
                $"ReportEvents:MaxStreamsPerClient={options.Streams + 100}",
                $"ReportEvents:MaxStreamsPerInstance={Math.Max(5_000, options.Streams + 100)}",
                $"Compatibility:BridgeWait={options.BridgeWait:c}",
            ],
        };
        if (options.ApiUrl is not null)
        {
            throw new ArgumentException("--outcomes sets clients' paths with the AppHost's dashboard command, so it starts the AppHost itself; leave out --url.");
        }

        await using var system = await ModeSystem.StartAsync(options, configuration, dashboard: false, cancellationToken);
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, system.Stopping);
        cancellationToken = interrupted.Token;
        using var client = new ReportPocClient(system.ApiUrl);
        using var probeClient = new ReportPocClient(system.ApiUrl);
        await ModeSystem.WarmUpAsync(client, cancellationToken);
        var lp = await client.GetLpStateAsync(cancellationToken);
        await using var otherLoad = OtherLoad.Watch(system.Kafka);

        var results = await AnsiConsole.Progress().AutoClear(false).StartAsync(async progress =>
        {
            var notifyTask = progress.AddTask($"notification delay at {HalfTheLpLimit * lp.LimitPerSecond:F1} reports/s for {options.OutcomeDuration.TotalSeconds:F0} s", maxValue: 1);
            var notification = await NotificationDelay.RunAsync(client, HalfTheLpLimit * lp.LimitPerSecond, HalfTheLpLimit, options.OutcomeDuration,
                done => notifyTask.Value = done, cancellationToken);
            notifyTask.Value = 1;

            var compat = new List<CompatCondition>();
            foreach (var load in CompatLoads)
            {
                foreach (var path in new[] { ClientPath.Sync, ClientPath.Bridge })
                {
                    var task = progress.AddTask($"{path.ToString().ToLowerInvariant()} at {load:F1}× LP's limit for {options.CompatDuration.TotalSeconds:F0} s, then drained", maxValue: 1);
                    compat.Add(await BridgeComparison.RunAsync(system, client, probeClient, path, load, lp.LimitPerSecond, options.CompatDuration, options.BridgeWait,
                        options.ProbeRate, done => task.Value = done, cancellationToken));
                    task.Value = 1;
                }
            }

            var rehearsalTask = progress.AddTask("migration rehearsal: 4 clients moved between paths under load", maxValue: 1);
            var rehearsal = await MigrationRehearsal.RunAsync(system, client, HalfTheLpLimit * lp.LimitPerSecond / 4, done => rehearsalTask.Value = done, cancellationToken);
            rehearsalTask.Value = 1;

            var streamsTask = progress.AddTask($"{options.Streams} open streams", maxValue: 1);
            var streams = await OpenStreams.RunAsync(system, client, options.Streams, AcceptBesideStreams, options.CompatDuration,
                (what, done) => { streamsTask.Description = $"{options.Streams} open streams: {what}"; streamsTask.Value = done; }, cancellationToken);
            streamsTask.Value = 1;

            return new OutcomesResults(startedAt, MachineInfo.Describe(), lp.LimitPerSecond, options.BridgeWait.TotalSeconds, notification, compat, rehearsal, streams)
            {
                Disturbed = otherLoad.Seen,
                CpuPressure = SystemProcesses.CpuPressure(),
            };
        });

        foreach (var file in await ModeOutput.WriteAsync(Path.Combine(options.OutputDirectory, "outcomes"), results, OutcomesReport.Markdown(results), OutcomesReport.Charts(results)))
        {
            AnsiConsole.MarkupLineInterpolated($"[grey]wrote {file}[/]");
        }

        Console.WriteLine(OutcomesReport.SummaryLine(results));
        return OutcomesReport.Holds(results) ? 0 : 1;
    }
}

public sealed record OutcomesResults(DateTimeOffset StartedAt, string Machine, double LpLimitPerSecond, double BridgeWaitSeconds,
    NotificationDelayResult Notification, IReadOnlyList<CompatCondition> Compat, MigrationRehearsalResult Rehearsal, OpenStreamsResult Streams)
{
    public bool Disturbed { get; init; }

    public double? CpuPressure { get; init; }
}
