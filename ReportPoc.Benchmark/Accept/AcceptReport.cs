using System.Globalization;
using System.Text;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Accept;

public static class AcceptReport
{
    private static readonly string[] Tools = ["hey", "ReportPoc.Benchmark"];

    public static string SummaryLine(AcceptResults results) =>
        string.Join(" | ", results.Measurements.SelectMany(m => Tools.Where(tool => m.Level(tool, "async") is not null).Select(tool =>
            $"{Label(m)}, {tool}: async / /alive throughput = {Percent(m.ThroughputRatio(tool))} (target ≥ 60%), p99 = {Times(m.P99Ratio(tool))} of /alive's (target ≤ 2×)")))
        + (results.Measurements.SelectMany(m => m.Levels).Any(level => level.Disturbed) ? " | WARNING: other load seen (test run or another system)" : "");

    public static string Markdown(AcceptResults results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Accept path vs /alive — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- {results.Clients} clients, {results.Seconds:F0} s per measurement; the dashboard receives all telemetry (as under ./run.sh)");
        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();
        md.AppendLine("| tracing | tool | endpoint | answers | errors | req/s | p50 ms | p99 ms | Api CPU ms per answer | other load | CPU pressure |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var m in results.Measurements)
        {
            foreach (var level in m.Levels)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Label(m)} | {level.Tool} | {level.Endpoint} | {level.Responses} | {level.Errors} | {level.Throughput:F0} | {Ms(level.P50Ms)} | {Ms(level.P99Ms)} | {Number(level.ApiCpuMsPerAnswer, "F2")} | {Flag(level.Disturbed)} | {Pressure(level.CpuPressure)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("| tracing | tool | async ÷ /alive throughput | async p99 ÷ /alive p99 |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var m in results.Measurements)
        {
            foreach (var tool in Tools.Where(tool => m.Level(tool, "async") is not null))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Label(m)} | {tool} | {Percent(m.ThroughputRatio(tool))} | {Times(m.P99Ratio(tool))} |");
            }
        }

        md.AppendLine();
        md.AppendLine("![accept vs alive](accept.png)");
        return md.ToString();
    }

    public static IEnumerable<(string, Plot)> Charts(AcceptResults results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var labels = new List<(double, string)>();
        var position = 0.0;
        foreach (var m in results.Measurements)
        {
            foreach (var tool in Tools.Where(tool => m.Level(tool, "async") is not null))
            {
                var alive = m.Level(tool, "/alive");
                var async = m.Level(tool, "async")!;
                bars.Add(new Bar { Position = position, Value = alive?.Throughput ?? 0, FillColor = Colors.Gray, Label = $"{alive?.Throughput:F0}" });
                bars.Add(new Bar { Position = position + 1, Value = async.Throughput, FillColor = Colors.SteelBlue, Label = $"{async.Throughput:F0} ({Percent(m.ThroughputRatio(tool))})" });
                labels.Add((position + 0.5, $"{tool}\n{Label(m)}"));
                position += 3;
            }
        }

        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(labels.Select(label => label.Item1).ToArray(), labels.Select(label => label.Item2).ToArray());
        plot.Axes.Left.Label.Text = $"answers per second at {results.Clients} clients";
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "/alive", FillColor = Colors.Gray });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "async POST /api/reports", FillColor = Colors.SteelBlue });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Accept path vs the same Api's /alive, per tool and trace sampling");
        yield return ("accept.png", plot);
    }

    private static string Label(AcceptMeasurement m) => m.SampleRatio is { } ratio
        ? ratio >= 1 ? "always on (ratio 1)" : $"parent-based ratio {ratio.ToString("G", CultureInfo.InvariantCulture)}"
        : "as configured";
}
