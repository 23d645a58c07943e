using System.Globalization;
using System.Text;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Accept;

public static class AcceptReport
{
    private static readonly string[] Tools = ["hey", "ReportPoc.Benchmark"];

    public static string SummaryLine(AcceptResults results) =>
        string.Join(" | ", results.Measurements.SelectMany(m => Tools.Where(m.Measured).Select(tool =>
            $"{Label(m)}, {tool}: async / /alive throughput = {Percent(m.ThroughputRatio(tool))} (target ≥ 60%), p99 = {Times(m.P99Ratio(tool))} of /alive's (target ≤ 2×)")))
        + (results.Measurements.SelectMany(m => m.Levels).Any(level => level.Disturbed) ? " | WARNING: other load seen (test run or another system)" : "");

    public static string Markdown(AcceptResults results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Accept path vs /alive — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- {results.Clients} clients, {results.Seconds:F0} s per measurement; the dashboard receives all telemetry (as under ./run.sh)");
        md.AppendLine("- Each round measures /alive and async back to back with each tool; the ratios are medians over the rounds");
        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();
        md.AppendLine("| tracing | round | tool | endpoint | answers | errors | req/s | p50 ms | p99 ms | Api CPU ms per answer | dashboard CPU ms per answer | other load | CPU pressure |");
        md.AppendLine("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var m in results.Measurements)
        {
            foreach (var level in m.Levels)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Label(m)} | {level.Round} | {level.Tool} | {level.Endpoint} | {level.Responses} | {level.Errors} | {level.Throughput:F0} | {Ms(level.P50Ms)} | {Ms(level.P99Ms)} | {Number(level.ApiCpuMsPerAnswer, "F3")} | {Number(level.DashboardCpuMsPerAnswer, "F3")} | {Flag(level.Disturbed)} | {Pressure(level.CpuPressure)} |");
            }
        }

        md.AppendLine();
        md.AppendLine("| tracing | tool | async ÷ /alive throughput | async p99 ÷ /alive p99 | Api CPU per answer, async ÷ /alive | median Api CPU ms per async answer | median dashboard CPU ms per async answer |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var m in results.Measurements)
        {
            foreach (var tool in Tools.Where(m.Measured))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Label(m)} | {tool} | {Percent(m.ThroughputRatio(tool))} | {Times(m.P99Ratio(tool))} | {Times(m.CpuRatio(tool))} | {Number(m.MedianOf(tool, "async", level => level.ApiCpuMsPerAnswer), "F3")} | {Number(m.MedianOf(tool, "async", level => level.DashboardCpuMsPerAnswer), "F3")} |");
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
            foreach (var tool in Tools.Where(m.Measured))
            {
                var alive = m.MedianOf(tool, "/alive", level => level.Throughput);
                var async = m.MedianOf(tool, "async", level => level.Throughput);
                bars.Add(new Bar { Position = position, Value = alive, FillColor = Colors.Gray, Label = $"{alive:F0}" });
                bars.Add(new Bar { Position = position + 1, Value = async, FillColor = Colors.SteelBlue, Label = $"{async:F0} ({Percent(m.ThroughputRatio(tool))})" });
                labels.Add((position + 0.5, $"{tool}\n{Label(m)}"));
                position += 3;
            }
        }

        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(labels.Select(label => label.Item1).ToArray(), labels.Select(label => label.Item2).ToArray());
        plot.Axes.Left.Label.Text = $"answers per second at {results.Clients} clients (median of the rounds)";
        plot.Axes.Margins(bottom: 0);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "/alive", FillColor = Colors.Gray });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "async POST /api/reports", FillColor = Colors.SteelBlue });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title("Accept path vs the same Api's /alive, per tool and trace sampling");
        yield return ("accept.png", plot);
    }

    private static string Label(AcceptMeasurement m) => m switch
    {
        { MaxTracesPerSecond: 0 } => "every trace offered (no cap)",
        { SampleRatio: { } ratio and < 1 } => $"parent-based ratio {ratio.ToString("G", CultureInfo.InvariantCulture)}",
        _ => "as configured (./run.sh)",
    };
}
