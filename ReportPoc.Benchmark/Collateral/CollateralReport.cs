using System.Globalization;
using System.Text;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Collateral;

public static class CollateralReport
{
    public static string SummaryLine(CollateralResults results)
    {
        var idle = results.Conditions.FirstOrDefault(condition => condition.Load is null);
        return "collateral, p99 of a status GET vs idle: " + string.Join(" | ", results.Conditions.Where(condition => condition.Load is not null).Select(condition =>
            $"{condition.Condition}: {Times(Ratio(condition, idle, "status GET"))} (as-is status GET {Times(Ratio(condition, idle, "as-is status GET"))})"))
            + (results.Conditions.Any(condition => condition.Disturbed) ? " | WARNING: other load seen (test run or another system)" : "");
    }

    public static string Markdown(CollateralResults results)
    {
        var idle = results.Conditions.FirstOrDefault(condition => condition.Load is null);
        var probes = results.Conditions.SelectMany(condition => condition.Probes).Select(probe => probe.Probe).Distinct().ToList();
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Collateral damage — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Api: {results.Api}; loads at {results.Concurrency} closed-loop clients; each cheap request sent open loop at {results.ProbeRate:F0}/s on connections of its own");
        md.AppendLine("- \"as-is\" requests run on the emulated thread-per-request server's bounded request threads (AsIsServer:RequestThreads, default 32; benchmark-only routes under /api/as-is)");
        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();
        md.AppendLine("## Cheap requests: p50 / p99 ms (p99 × idle p99)");
        md.AppendLine();
        md.AppendLine("| condition | load req/s (p99 ms) | " + string.Join(" | ", probes) + " | errors | other load | CPU pressure |");
        md.AppendLine("|---|---|" + string.Concat(probes.Select(_ => "---|")) + "---:|---|---:|");
        foreach (var condition in results.Conditions)
        {
            var cells = probes.Select(name => condition.Probes.FirstOrDefault(probe => probe.Probe == name) is { } probe
                ? $"{Ms(probe.Latency.P50Ms)} / {Ms(probe.Latency.P99Ms)} ({Times(Ratio(condition, idle, name))})"
                : "–");
            var load = condition.Load is { } level ? $"{level.Throughput:F1} ({Ms(level.Latency.P99Ms)})" : "none";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {condition.Condition} | {load} | {string.Join(" | ", cells)} | {condition.Probes.Sum(probe => probe.Errors)} | {Flag(condition.Disturbed)} | {Pressure(condition.CpuPressure)} |");
        }

        md.AppendLine();
        md.AppendLine("![cheap request p99 per condition](collateral.png)");
        return md.ToString();
    }

    public static IEnumerable<(string, Plot)> Charts(CollateralResults results)
    {
        var plot = new Plot();
        var probes = results.Conditions.SelectMany(condition => condition.Probes).Select(probe => probe.Probe).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (var group = 0; group < results.Conditions.Count; group++)
        {
            for (var i = 0; i < probes.Count; i++)
            {
                if (results.Conditions[group].Probes.FirstOrDefault(probe => probe.Probe == probes[i]) is not { Latency.Count: > 0 } probe)
                {
                    continue;
                }

                // Log scale, drawn as log10 of the value (bars start at 0.1 ms).
                bars.Add(new Bar
                {
                    Position = group * (probes.Count + 1) + i,
                    Value = Math.Log10(Math.Max(probe.Latency.P99Ms, 0.1)) + 1,
                    FillColor = palette.GetColor(i),
                    Label = Ms(probe.Latency.P99Ms),
                });
            }
        }

        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 10;
        plot.Axes.Bottom.SetTicks(
            results.Conditions.Select((_, group) => group * (probes.Count + 1) + (probes.Count - 1) / 2.0).ToArray(),
            results.Conditions.Select(condition => condition.Condition).ToArray());
        double[] ticks = [0.1, 1, 10, 100, 1000, 10000, 100000];
        plot.Axes.Left.SetTicks(ticks.Select(ms => Math.Log10(ms) + 1).ToArray(), ticks.Select(ms => ms.ToString("G", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.Label.Text = "p99, ms (log scale)";
        plot.Axes.Margins(bottom: 0);
        for (var i = 0; i < probes.Count; i++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = probes[i], FillColor = palette.GetColor(i) });
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Title($"Cheap requests while {results.Concurrency} clients load each path");
        yield return ("collateral.png", plot);
    }

    private static double? Ratio(CollateralCondition condition, CollateralCondition? idle, string probe)
    {
        var under = condition.Probes.FirstOrDefault(result => result.Probe == probe)?.Latency.P99Ms;
        var before = idle?.Probes.FirstOrDefault(result => result.Probe == probe)?.Latency.P99Ms;
        return under is { } u && before is { } b && b > 0 ? u / b : null;
    }
}
