using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Benchmark.Results;

/// <summary>Writes results.json, results.md and the charts into the output directory.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<IReadOnlyList<string>> WriteAsync(BenchmarkResults results, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "results.json");
        var markdown = Path.Combine(directory, "results.md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, JsonOptions));
        await File.WriteAllTextAsync(markdown, ToMarkdown(results));
        return [json, markdown, .. Charts.Write(results, directory)];
    }

    public static string SummaryLine(BenchmarkResults results)
    {
        var ratios = results.Ratios;
        var memory = string.Join(", ", results.Memory.Select(service => $"{ShortName(service.Service)} peak {service.PeakWorkingSetMb:F0} MB"));
        var disturbed = results.Levels.Count(level => level.Disturbed) + results.Processor.Count(run => run.Disturbed) + (results.Overload?.Disturbed == true ? 1 : 0);
        return string.Join(" | ",
            $"async p99 / sync p99 @{ratios.Concurrency} = {OneIn(ratios.AsyncP99OverSyncP99)} (target ≤ 1/100)",
            $"async / baseline throughput @{ratios.Concurrency} = {Percent(ratios.AsyncOverBaselineThroughput)} (target ≥ 50%)",
            $"processor / LP limit = {Percent(ratios.ProcessorOverLpLimit)} (target ≥ 90%)",
            $"2 / 1 instances, LP capacity out of the way = {Times(ratios.TwoOverOneInstancesLpUnbounded)} (target ≥ 1.8×)",
            $"2 / 1 instances, LP-bound = {Times(ratios.TwoOverOneInstancesLpBound)}",
            results.ScaleCurve is { } curve ? CurveLine(curve) : "scale curve: n/a",
            memory.Length > 0 ? memory : "memory: n/a")
            + (disturbed > 0 ? $" | WARNING: {disturbed} measurement(s) ran beside a test run or another ReportPoc system" : "");
    }

    private static string ToMarkdown(BenchmarkResults results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# ReportPoc benchmark results — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- System: {results.Target}");
        if (results.LpProfile is { } lp)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- LP profile: setQueue {lp.SetQueueLatencyMs} ms, LPRUN {lp.LpRunLatencyMs} ms, capacity {lp.Capacity} → LP limit {lp.LimitPerSecond:F2} reports/s");
        }

        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();

        md.AppendLine("## Request latency and throughput (closed loop)");
        md.AppendLine();
        md.AppendLine("| path | clients | warm-up s | responses | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | other load |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var level in results.Levels)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {level.Scenario} | {level.Concurrency} | {level.WarmupSeconds:F0} | {level.Responses} | {level.Errors} | {level.Throughput:F1} | {Ms(level.Latency.P50Ms)} | {Ms(level.Latency.P90Ms)} | {Ms(level.Latency.P99Ms)} | {Ms(level.Latency.MaxMs)} | {Flag(level.Disturbed)} |");
        }

        md.AppendLine();
        md.AppendLine("## Async accept → Completed (status API, open-loop offered rate)");
        md.AppendLine();
        md.AppendLine("| offered reports/s | of LP limit | submitted | completed | failed | unfinished | p50 ms | p90 ms | p99 ms | max ms | pickup p50 ms | pickup p99 ms |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var probe in results.Completion)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {probe.OfferedPerSecond:F2} | {probe.LoadFraction:P0} | {probe.Submitted} | {probe.Completed} | {probe.Failed} | {probe.Unfinished} | {Ms(probe.Latency.P50Ms)} | {Ms(probe.Latency.P90Ms)} | {Ms(probe.Latency.P99Ms)} | {Ms(probe.Latency.MaxMs)} | {Ms(probe.Pickup.P50Ms)} | {Ms(probe.Pickup.P99Ms)} |");
        }

        md.AppendLine();
        md.AppendLine("## Both paths at the same offered load (open loop, below / at / 2× LP's limit)");
        md.AppendLine();
        md.AppendLine("| load | path | offered reports/s | s | sent | acknowledged | completed | failed | errors | unfinished | ack p50 ms | ack p99 ms | to Completed p50 ms | to Completed p99 ms | peak backlog | backlog at load end | drain s | LP alone drains in s | other load |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var run in results.SameLoad)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Load} ({run.LoadFraction:P0}) | {run.Path} | {run.OfferedPerSecond:F1} | {run.Seconds:F0} | {run.Sent} | {run.Acknowledged} | {run.Completed} | {run.Failed} | {run.Errors} | {run.Unfinished} | {Ms(run.Ack.P50Ms)} | {Ms(run.Ack.P99Ms)} | {Ms(run.ToCompleted.P50Ms)} | {Ms(run.ToCompleted.P99Ms)} | {run.PeakBacklog} | {run.BacklogAtLoadEnd} | {(run.DrainSeconds is { } drain ? drain.ToString("F1", CultureInfo.InvariantCulture) : "not drained")} | {run.ExpectedDrainSeconds:F1} | {Flag(run.Disturbed)} |");
        }

        md.AppendLine();
        md.AppendLine("## Processor throughput (burst of async reports)");
        md.AppendLine();
        md.AppendLine("| configuration | instances | partitions | LP capacity | LP limit/s | reports | completed | failed | steady reports/s | overall reports/s | of LP limit | mean LP runs in flight | mean processor in flight / limit | machine CPU busy | bottleneck (Api) | other load |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var run in results.Processor)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Configuration} | {run.Instances} | {run.Partitions} | {run.LpCapacity} | {run.LpLimitPerSecond:F1} | {run.Reports} | {run.Completed} | {run.Failed} | {run.SteadyPerSecond:F2} | {run.OverallPerSecond:F2} | {run.OfLpLimit:P0} | {run.MeanLpInFlight:F1} | {run.MeanProcessorInFlight:F1} / {run.ProcessorInFlightLimit} | {Percent(run.MeanCpuBusy)} | {run.Bottleneck?.ToString() ?? "–"} | {Flag(run.Disturbed)} |");
        }

        if (results.ScaleCurve is { } curve)
        {
            AppendScaleCurve(md, curve, results.Processor);
        }

        if (results.Overload is { } overload)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture,
                $"## Memory under a {results.OverloadSeconds:F0} s overload ({results.OverloadConcurrency} async clients, {overload.Throughput:F0} accepted/s, {overload.Errors} errors, other load: {Flag(overload.Disturbed)})");
            md.AppendLine();
            md.AppendLine("| service | processes | RSS before MB | RSS after MB | peak working set (VmHWM) MB |");
            md.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var service in results.Memory)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {service.Service} | {service.Processes} | {service.RssBeforeMb:F0} | {service.RssAfterMb:F0} | {service.PeakWorkingSetMb:F0} |");
            }
        }

        return md.ToString();
    }

    private static string CurveLine(ScaleCurve curve)
    {
        var instances = string.Join("/", curve.Points.Select(point => point.Instances));
        var rates = string.Join("/", curve.Points.Select(point => point.PerSecond.ToString("F1", CultureInfo.InvariantCulture)));
        var stop = curve.GainStopsAfter is { } after ? $"gain stops after {after} ({curve.StopReason})" : "gain did not stop in the measured range";
        return string.Create(CultureInfo.InvariantCulture,
            $"scale curve {instances} instances = {rates} reports/s, {stop}, partitions for {curve.TargetRate:F0}/s ≥ {curve.PartitionsForTarget}");
    }

    /// <summary>The curve's table, and its ceilings in words: LP, one instance, the cores, the partitions, and the partition arithmetic.</summary>
    private static void AppendScaleCurve(StringBuilder md, ScaleCurve curve, IReadOnlyList<ProcessorResult> runs)
    {
        md.AppendLine();
        md.AppendLine("## Scale curve: processor instances with LP capacity out of the way");
        md.AppendLine();
        md.AppendLine("![throughput and per-instance efficiency against instances](scale-curve.png)");
        md.AppendLine();
        md.AppendLine("| instances | steady reports/s | per instance | efficiency (per instance ÷ one alone) | what the partition shares allow | machine CPU busy | bottleneck (Api) | other load |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var point in curve.Points)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {point.Instances} | {point.PerSecond:F1} | {point.PerInstance:F1} | {point.Efficiency:P0} | {point.PartitionShareBound:F1} | {Percent(point.CpuBusy)} | {point.Bottleneck?.ToString() ?? "–"} | {Flag(point.Disturbed)} |");
        }

        var lpBound = runs.Where(run => run.LpBound).OrderBy(run => run.Instances).ToList();
        var lpRunSeconds = runs.First(run => !run.LpBound).LpRunLatencyMs / 1000.0;
        md.AppendLine();
        md.AppendLine("**Ceilings**");
        md.AppendLine();
        if (lpBound.Count > 0)
        {
            var steps = string.Join(" → ", lpBound.Select(run =>
                string.Create(CultureInfo.InvariantCulture, $"{run.Instances} instance{(run.Instances == 1 ? "" : "s")} {run.SteadyPerSecond:F1}/s")));
            md.Append(CultureInfo.InvariantCulture,
                $"- **LP's capacity:** with {lpBound[0].LpCapacity} slots LP finishes at most capacity ÷ LPRUN = {lpBound[0].LpLimitPerSecond:F1} reports/s; ");
            md.AppendLine(CultureInfo.InvariantCulture, $"LP-bound, {steps}: another instance only waits for LP too.");
        }

        md.AppendLine(CultureInfo.InvariantCulture,
            $"- **One instance:** {curve.OneInstance:F1} reports/s alone (Processing:MaxInFlight reports in flight ÷ the time one report takes).");
        var cores = curve.CpuSaturatedFrom is { } saturated
            ? string.Create(CultureInfo.InvariantCulture, $"at least {ScaleCurve.CpuSaturated:P0} busy from {saturated} instances on (Api, processors, broker, database and LP stand-in share them)")
            : string.Create(CultureInfo.InvariantCulture, $"below {ScaleCurve.CpuSaturated:P0} busy at every measured instance count");
        md.AppendLine(CultureInfo.InvariantCulture, $"- **The machine's {curve.Cores} cores:** {cores}.");
        var stop = curve.GainStopsAfter is { } after
            ? $"after {after} instances an added instance brings less than half of what one does alone; the limit there is {curve.StopReason}"
            : "not within the measured instance counts: every added instance brought at least half of what one does alone";
        md.AppendLine(CultureInfo.InvariantCulture, $"- **Where the gain stops:** {stop}.");
        if (curve.Points.Where(point => point.UnevenShares(curve.Partitions)).ToList() is { Count: > 0 } uneven)
        {
            var figures = string.Join("; ", uneven.Select(point =>
                string.Create(CultureInfo.InvariantCulture, $"{point.Instances} instances: at most {point.PartitionShareBound:F1}/s, measured {point.PerSecond:F1}/s")));
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- **Uneven shares:** a burst spreads evenly over the {curve.Partitions} partitions, so the instance that owns the most of them sets the pace: n instances finish at most one alone × {curve.Partitions} ÷ ⌈{curve.Partitions} ÷ n⌉ ({figures}). Run instance counts that divide the partition count, or give the topic several times more partitions than instances so the shares even out.");
        }
        md.Append(CultureInfo.InvariantCulture,
            $"- **The partition count:** reports.submitted has {curve.Partitions} partitions, so at most {curve.Partitions} instances share the work; ");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"instance {curve.Partitions + 1} would own no partition and add nothing (so Processor:MaxReplicas defaults to {curve.Partitions}).");
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"**Partitions for a production topic:** partitions ≥ max(consumers, target rate ÷ per-partition throughput) = ");
        md.Append(CultureInfo.InvariantCulture,
            $"max({curve.Consumers}, {curve.TargetRate:F0} ÷ {curve.OneInstance:F1}) = max({curve.Consumers}, {Math.Ceiling(curve.TargetRate / curve.OneInstance):F0}) = **{curve.PartitionsForTarget}**. ");
        md.Append(CultureInfo.InvariantCulture,
            $"Consumers: the most instances you will run ({curve.Consumers} here); per-partition throughput: what one instance completes alone ({curve.OneInstance:F1}/s here). ");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"LP must then run at least {curve.TargetRate:F0} × {lpRunSeconds:F1} s = {Math.Ceiling(curve.TargetRate * lpRunSeconds):F0} LPRUN at once, or LP stays the ceiling whatever the partitions.");
    }

    private static string Ms(double value) => double.IsNaN(value) ? "–" : value < 10 ? value.ToString("F2", CultureInfo.InvariantCulture) : value.ToString("F0", CultureInfo.InvariantCulture);

    private static string Flag(bool disturbed) => disturbed ? "yes: test run or other system" : "none seen";

    private static string OneIn(double? ratio) => ratio is { } r ? $"1/{1 / r:F0}" : "n/a";

    private static string Percent(double? ratio) => ratio is { } r && !double.IsNaN(r) ? r.ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static string Times(double? ratio) => ratio is { } r ? $"{r:F2}×" : "n/a";

    private static string ShortName(string service) => service.Replace("ReportPoc.", "", StringComparison.Ordinal);
}
