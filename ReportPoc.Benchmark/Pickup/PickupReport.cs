using System.Globalization;
using System.Text;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Pickup;

public static class PickupReport
{
    public static string SummaryLine(PickupResults results) =>
        string.Join(" | ", results.Measurements.Select(m =>
            $"{Label(m)}: pickup p50 {Ms(m.HalfLpLimit.Pickup.P50Ms)} / p99 {Ms(m.HalfLpLimit.Pickup.P99Ms)} ms (targets ≤ 25 / ≤ 100), "
            + $"processor idle CPU {Percent(m.ProcessorIdleCoreShare)} of a core (target ≤ 2%), "
            + $"one at a time async − sync p50: accept→LPRUN {Number(m.LowLoadAsync.BeforeLpRun.P50Ms - m.LowLoadSync.BeforeLpRun.P50Ms, "F0")} ms, "
            + $"accept→Completed {Number(m.LowLoadAsync.Latency.P50Ms - m.LowLoadSync.Latency.P50Ms, "F0")} ms (target ≤ 50)"))
        + (results.Measurements.Any(m => m.Disturbed) ? " | WARNING: other load seen (test run or another system)" : "");

    public static string Markdown(PickupResults results)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Pickup — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {results.Machine}");
        md.AppendLine("- Pickup = insertedAt − acceptedAt, accept→Completed = completedAt − acceptedAt, accept→LPRUN = lpRunRequestedAt − acceptedAt: the reports' own timestamps");
        md.AppendLine();
        md.AppendLine("**Summary:** " + SummaryLine(results));
        md.AppendLine();
        md.AppendLine("## Pickup and accept → Completed at half the LP limit (open loop)");
        md.AppendLine();
        md.AppendLine("| fetch wait | reports/s | completed | pickup p50 / p90 / p99 / max ms | accept→Completed p50 / p99 ms | accept→LPRUN p50 / p99 ms | other load | CPU pressure |");
        md.AppendLine("|---|---:|---|---|---|---|---|---:|");
        foreach (var m in results.Measurements)
        {
            var run = m.HalfLpLimit;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(m)} | {run.OfferedPerSecond:F1} | {run.Completed} of {run.Submitted} | {Ms(run.Pickup.P50Ms)} / {Ms(run.Pickup.P90Ms)} / {Ms(run.Pickup.P99Ms)} / {Ms(run.Pickup.MaxMs)} | {Ms(run.Latency.P50Ms)} / {Ms(run.Latency.P99Ms)} | {Ms(run.BeforeLpRun.P50Ms)} / {Ms(run.BeforeLpRun.P99Ms)} | {Flag(m.Disturbed)} | {Pressure(m.CpuPressure)} |");
        }

        md.AppendLine();
        md.AppendLine("## Idle CPU (nothing submitted), share of one core");
        md.AppendLine();
        var processes = results.Measurements.SelectMany(m => m.Idle).Select(idle => idle.Process).Distinct().Order(StringComparer.Ordinal).ToList();
        md.AppendLine("| fetch wait | " + string.Join(" | ", processes) + " |");
        md.AppendLine("|---|" + string.Concat(processes.Select(_ => "---:|")));
        foreach (var m in results.Measurements)
        {
            var cells = processes.Select(name => string.Join(" + ", m.Idle.Where(idle => idle.Process == name).Select(idle => Percent2(idle.CoreShare))));
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Label(m)} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
        md.AppendLine("## One report at a time: async vs sync, accept → Completed");
        md.AppendLine();
        md.AppendLine("LPRUN itself (1 s ± 20 % in the default LP profile) is the same work on both paths and dominates accept → Completed;");
        md.AppendLine("accept → LPRUN claimed compares what the paths add without that jitter.");
        md.AppendLine();
        md.AppendLine("| fetch wait | path | completed | accept→Completed p50 / max ms | accept→LPRUN p50 / max ms |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var m in results.Measurements)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(m)} | async | {m.LowLoadAsync.Completed} of {m.LowLoadAsync.Submitted} | {Ms(m.LowLoadAsync.Latency.P50Ms)} / {Ms(m.LowLoadAsync.Latency.MaxMs)} | {Ms(m.LowLoadAsync.BeforeLpRun.P50Ms)} / {Ms(m.LowLoadAsync.BeforeLpRun.MaxMs)} |");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {Label(m)} | sync | {m.LowLoadSync.Completed} of {m.LowLoadSync.Submitted} | {Ms(m.LowLoadSync.Latency.P50Ms)} / {Ms(m.LowLoadSync.Latency.MaxMs)} | {Ms(m.LowLoadSync.BeforeLpRun.P50Ms)} / {Ms(m.LowLoadSync.BeforeLpRun.MaxMs)} |");
        }

        md.AppendLine();
        md.AppendLine("![pickup](pickup.png)");
        return md.ToString();
    }

    public static IEnumerable<(string, Plot)> Charts(PickupResults results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        (string Name, Func<Load.LatencySummary, double> Value, Color Color)[] percentiles =
            [("p50", l => l.P50Ms, Colors.LightSteelBlue), ("p90", l => l.P90Ms, Colors.SteelBlue), ("p99", l => l.P99Ms, Colors.Navy)];
        for (var group = 0; group < results.Measurements.Count; group++)
        {
            for (var i = 0; i < percentiles.Length; i++)
            {
                var ms = percentiles[i].Value(results.Measurements[group].HalfLpLimit.Pickup);
                bars.Add(new Bar { Position = group * 4 + i, Value = double.IsNaN(ms) ? 0 : ms, FillColor = percentiles[i].Color, Label = $"{percentiles[i].Name} {Ms(ms)}" });
            }
        }

        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(
            results.Measurements.Select((_, group) => group * 4 + 1.0).ToArray(),
            results.Measurements.Select(m => $"{Label(m)} (processor idle CPU {Percent2(m.ProcessorIdleCoreShare)})").ToArray());
        plot.Axes.Left.Label.Text = "pickup (accepted → processor started), ms";
        plot.Axes.Margins(bottom: 0);
        plot.Title("Pickup at half the LP limit, per consumer fetch wait");
        yield return ("pickup.png", plot);
    }

    private static string Label(PickupMeasurement m) => m.FetchWaitMs is { } ms ? $"fetch wait {ms} ms" : "as configured";

    private static string Percent2(double share) => double.IsNaN(share) ? "–" : share.ToString("P1", CultureInfo.InvariantCulture);
}
