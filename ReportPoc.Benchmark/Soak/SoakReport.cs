using System.Globalization;
using System.Text;
using ReportPoc.Benchmark.Results;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Soak;

public static class SoakReport
{
    public static string SummaryLine(SoakResults results)
    {
        var growing = results.Processes.Where(process => process.Growing).Select(process => process.Name).ToList();
        return $"soak {results.Minutes:F0} min at {results.Load.OfferedPerSecond:F1} reports/s: {results.Load.Completed} of {results.Load.Submitted} completed, "
            + $"pickup p50 {Ms(results.Load.Pickup.P50Ms)} / p99 {Ms(results.Load.Pickup.P99Ms)} ms | "
            + (growing.Count == 0 ? "no process grew in the second half" : "STILL GROWING: " + string.Join(", ", growing))
            + (results.OtherLoadSeen ? " | WARNING: other load seen (test run or another system)" : "");
    }

    public static string Markdown(SoakResults results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Soak — {results.StartedAt:yyyy-MM-dd HH:mm} UTC, {results.Minutes:F1} min");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Api: {results.Api}; every process sampled every {results.SampleSeconds:F0} s");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Other load (test run / another system) seen: {Flag(results.OtherLoadSeen)}; CPU pressure at the end (some, avg10): {Pressure(results.CpuPressureAtEnd)}");
        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();
        var load = results.Load;
        md.AppendLine("## Load");
        md.AppendLine();
        md.AppendLine("| offered reports/s | submitted | completed | failed | unfinished | accept→Completed p50 / p99 / max ms | pickup p50 / p99 / max ms |");
        md.AppendLine("|---:|---:|---:|---:|---:|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {load.OfferedPerSecond:F2} | {load.Submitted} | {load.Completed} | {load.Failed} | {load.Unfinished} | {Ms(load.Latency.P50Ms)} / {Ms(load.Latency.P99Ms)} / {Ms(load.Latency.MaxMs)} | {Ms(load.Pickup.P50Ms)} / {Ms(load.Pickup.P99Ms)} / {Ms(load.Pickup.MaxMs)} |");
        md.AppendLine();
        md.AppendLine("## Processes: first / last / peak");
        md.AppendLine();
        md.AppendLine("Growing = the median of the last fifth of the samples is above the median of the middle fifth by at least 3 threads, 10 file");
        md.AppendLine("descriptors, or 10 % and 15 MB of RSS (start-up filling pools and caches is not judged).");
        md.AppendLine();
        md.AppendLine("| process | samples | threads | open fds | RSS MB | mean CPU % of one core | second-half rise (threads / fds / MB) | growing |");
        md.AppendLine("|---|---:|---|---|---|---:|---|---|");
        foreach (var process in results.Processes)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {process.Name} ({process.Pid}) | {process.Samples} | {Fl(process.Threads)} | {Fl(process.OpenFiles)} | {Fl(process.RssMb)} | {Number(process.MeanCpuPercent)} | {Number(process.Threads.SecondHalfRise)} / {Number(process.OpenFiles.SecondHalfRise)} / {Number(process.RssMb.SecondHalfRise)} | {(process.Growing ? "**yes**" : "no")} |");
        }

        md.AppendLine();
        md.AppendLine("![threads](soak-threads.png)");
        md.AppendLine("![open file descriptors](soak-open-files.png)");
        md.AppendLine("![RSS](soak-rss.png)");
        return md.ToString();
    }

    public static IEnumerable<(string, Plot)> Charts(SoakResults results)
    {
        yield return ("soak-threads.png", Chart(results, "threads", sample => sample.Threads));
        yield return ("soak-open-files.png", Chart(results, "open file descriptors", sample => sample.OpenFiles));
        yield return ("soak-rss.png", Chart(results, "RSS, MB", sample => sample.RssMb));
    }

    private static Plot Chart(SoakResults results, string quantity, Func<Processes.ProcessSample, double> value)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var i = 0;
        foreach (var process in results.Processes.Where(process => process.Timeline.Count > 0))
        {
            var line = plot.Add.Scatter(process.Timeline.Select(sample => sample.Seconds / 60).ToArray(), process.Timeline.Select(value).ToArray());
            line.Color = palette.GetColor(i++);
            line.MarkerSize = 0;
            line.LegendText = $"{process.Name} ({process.Pid})";
        }

        plot.Axes.Bottom.Label.Text = "minutes into the soak";
        plot.Axes.Left.Label.Text = quantity;
        // From zero: the point is whether the lines stay flat, which a zoomed-in axis would hide.
        plot.Axes.SetLimitsY(0, results.Processes.SelectMany(process => process.Timeline).Select(value).DefaultIfEmpty(1).Max() * 1.25);
        plot.Title($"Soak: {quantity} per process at {results.Load.OfferedPerSecond:F1} reports/s");
        plot.ShowLegend(Edge.Right); // beside the plot: the lines sit at the top and the bottom
        return plot;
    }

    private static string Fl(Trend trend) => $"{Number(trend.First, "F0")} / {Number(trend.Last, "F0")} / {Number(trend.Peak, "F0")}";
}
