using ScottPlot;
using ScottPlot.TickGenerators;
using ReportPoc.Benchmark.Scale;

namespace ReportPoc.Benchmark.Results;

/// <summary>The language a chart's words are in: the benchmark writes English, the evidence report both.</summary>
public enum ChartLanguage
{
    English,
    Korean,
}

/// <summary>
/// The PNG charts of a run, drawn with ScottPlot — each in one place: the benchmark's results.md and the evidence report
/// draw the same charts, the report once per language.
/// </summary>
public static class Charts
{
    private const int Width = 900;
    private const int Height = 520;

    private static readonly Dictionary<string, Color> PathColors = new()
    {
        [BenchmarkResults.Sync] = Colors.FireBrick,
        [BenchmarkResults.Async] = Colors.SteelBlue,
        [BenchmarkResults.Baseline] = Colors.Gray,
    };

    public static IEnumerable<string> Write(BenchmarkResults results, string directory)
    {
        if (results.Levels.Count > 0)
        {
            yield return Save(Latency(results, ChartLanguage.English), directory, "latency.png");
            yield return Save(Throughput(results), directory, "throughput.png");
        }

        if (results.Completion.Count > 0)
        {
            yield return Save(Completion(results), directory, "completion.png");
        }

        if (results.SameLoad.Count > 0)
        {
            yield return Save(Backlog(results.SameLoad, ChartLanguage.English), directory, "backlog.png");
        }

        if (results.Processor.Count > 0)
        {
            yield return Save(Processor(results), directory, "processor.png");
        }

        if (results.ScaleCurve is { } curve)
        {
            yield return Save(ScaleCurveChart(curve, results.Processor, ChartLanguage.English), directory, "scale-curve.png");
        }

        if (results.Memory.Any(service => service.Timeline.Count > 0))
        {
            yield return Save(Memory(results), directory, "memory.png");
        }
    }

    /// <summary>Closed-loop latency per path against the clients: what each path can take, not a like-for-like comparison.</summary>
    public static Plot Latency(BenchmarkResults results, ChartLanguage language)
    {
        var plot = new Plot();
        foreach (var (path, color) in PathColors)
        {
            var name = PathName(path, language);
            var levels = results.Levels.Where(level => level.Scenario == path && level.Latency.Count > 0).ToList();
            AddLine(plot, results, levels, level => level.Latency.P99Ms, $"{name} p99", color, LinePattern.Solid);
            AddLine(plot, results, levels, level => level.Latency.P50Ms, $"{name} p50", color, LinePattern.Dashed);
        }

        ConcurrencyAxis(plot, results, language);
        LogAxis(plot.Axes.Left, T(language, "latency, ms (log scale)", "지연 시간, ms (로그 스케일)"));
        plot.Title(T(language, "Response latency against concurrent clients (closed loop)", "동시 클라이언트 수에 따른 응답 지연 시간 (closed loop)"));
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>The same-load runs' backlog (submitted, not yet final) over time: one line per path and offered load.</summary>
    public static Plot Backlog(IReadOnlyList<SameLoad.SameLoadResult> runs, ChartLanguage language)
    {
        var plot = new Plot();
        foreach (var run in runs.Where(run => run.Backlog.Count > 0))
        {
            var line = plot.Add.Scatter(run.Backlog.Select(sample => sample.AtSeconds).ToArray(), run.Backlog.Select(sample => (double)sample.Backlog).ToArray());
            line.Color = PathColors.GetValueOrDefault(run.Path, Colors.Gray);
            line.LinePattern = run.LoadFraction >= 2 ? LinePattern.Solid : run.LoadFraction >= 1 ? LinePattern.Dashed : LinePattern.Dotted;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"{PathName(run.Path, language)}, {run.OfferedPerSecond:F1}/s ({run.LoadFraction:P0} {T(language, "of LP's limit", "LP 한도 대비")})";
        }

        if (runs.FirstOrDefault() is { } first)
        {
            var end = plot.Add.VerticalLine(first.Seconds);
            end.Color = Colors.Gray;
            end.LinePattern = LinePattern.Dashed;
            end.LegendText = T(language, "the load stops", "부하 종료");
        }

        plot.Axes.Bottom.Label.Text = T(language, "seconds from the first report sent", "첫 보고서 전송 후 경과 시간(초)");
        plot.Axes.Left.Label.Text = T(language, "reports submitted, not yet final", "제출되었으나 아직 최종 상태가 아닌 보고서 수");
        plot.Axes.Margins(bottom: 0);
        plot.Title(T(language, "Backlog at the same offered load: sync vs async", "같은 제공 부하에서의 백로그: 동기 vs 비동기"));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static string PathName(string path, ChartLanguage language) => path switch
    {
        BenchmarkResults.Sync => T(language, "sync", "동기"),
        BenchmarkResults.Async => T(language, "async accept", "비동기 접수"),
        _ => T(language, "trivial endpoint", "기준 엔드포인트"),
    };

    private static string T(ChartLanguage language, string en, string ko) => language == ChartLanguage.Korean ? ko : en;

    private static Plot Throughput(BenchmarkResults results)
    {
        var plot = new Plot();
        foreach (var (path, color) in PathColors)
        {
            var levels = results.Levels.Where(level => level.Scenario == path && level.Throughput > 0).ToList();
            AddLine(plot, results, levels, level => level.Throughput, path, color, LinePattern.Solid);
        }

        ConcurrencyAxis(plot, results, ChartLanguage.English);
        LogAxis(plot.Axes.Left, "responses per second (log scale)");
        plot.Title("Throughput vs concurrent clients");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static Plot Completion(BenchmarkResults results)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        (string Name, Func<Load.LatencySummary, double> Value, Color Color)[] percentiles =
            [("p50", l => l.P50Ms, Colors.LightSteelBlue), ("p90", l => l.P90Ms, Colors.SteelBlue), ("p99", l => l.P99Ms, Colors.Navy)];
        for (var group = 0; group < results.Completion.Count; group++)
        {
            var probe = results.Completion[group];
            for (var i = 0; i < percentiles.Length; i++)
            {
                var seconds = percentiles[i].Value(probe.Latency) / 1000;
                bars.Add(new Bar { Position = group * 4 + i, Value = double.IsNaN(seconds) ? 0 : seconds, FillColor = percentiles[i].Color, Label = $"{percentiles[i].Name} {seconds:F2}s" });
            }
        }

        plot.Add.Bars(bars).ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks(
            results.Completion.Select((_, group) => group * 4 + 1.0).ToArray(),
            results.Completion.Select(probe => $"{probe.OfferedPerSecond:F1} reports/s ({probe.LoadFraction:P0} of LP limit)").ToArray());
        plot.Axes.Left.Label.Text = "accept → Completed, seconds";
        plot.Axes.Margins(bottom: 0);
        plot.Title("Async path: accept → Completed through the status API");
        return plot;
    }

    private static Plot Processor(BenchmarkResults results)
    {
        var plot = new Plot();
        var bars = results.Processor.Select((run, i) => new Bar
        {
            Position = i,
            Value = run.SteadyPerSecond,
            FillColor = run.LpBound ? Colors.DarkOrange : Colors.SeaGreen,
            Label = $"{run.SteadyPerSecond:F1}/s",
        }).ToList();
        plot.Add.Bars(bars);

        if (results.Processor.FirstOrDefault(run => run.LpBound) is { } lpBound)
        {
            var limit = plot.Add.HorizontalLine(lpBound.LpLimitPerSecond);
            limit.LinePattern = LinePattern.Dashed;
            limit.Color = Colors.DarkOrange;
            limit.LegendText = $"LP limit (capacity {lpBound.LpCapacity} ÷ LPRUN {lpBound.LpRunLatencyMs} ms) = {lpBound.LpLimitPerSecond:F1}/s";
            plot.ShowLegend(Alignment.UpperLeft);
        }

        plot.Axes.Bottom.SetTicks(
            results.Processor.Select((_, i) => (double)i).ToArray(),
            results.Processor.Select(run => run.Configuration).ToArray());
        plot.Axes.Left.Label.Text = "reports completed per second (steady part of a burst)";
        plot.Axes.Margins(bottom: 0);
        plot.Title("Processor throughput per burst: LP-bound and LP capacity out of the way");
        return plot;
    }

    /// <summary>
    /// Throughput (left axis) and per-instance efficiency (right axis) against instances, with LP capacity out of the
    /// way; linear scaling from one instance for comparison, the LP-bound bursts, and where the cores and the partition
    /// count stop the gain.
    /// </summary>
    public static Plot ScaleCurveChart(ScaleCurve curve, IReadOnlyList<ProcessorResult> runs, ChartLanguage language)
    {
        var plot = new Plot();
        var instances = curve.Points.Select(point => (double)point.Instances).ToArray();
        var lastInstances = Math.Max(curve.Points[^1].Instances, curve.Partitions + 1);

        var linear = plot.Add.Scatter(new double[] { 0, lastInstances }, new[] { 0, lastInstances * curve.OneInstance });
        linear.Color = Colors.Gray;
        linear.LinePattern = LinePattern.Dotted;
        linear.MarkerSize = 0;
        linear.LegendText = T(language, $"linear: n × one instance ({curve.OneInstance:F1}/s)", $"선형: n × 인스턴스 하나 (초당 {curve.OneInstance:F1}건)");

        var throughput = plot.Add.Scatter(instances, curve.Points.Select(point => point.PerSecond).ToArray());
        throughput.Color = Colors.SeaGreen;
        throughput.LineWidth = 2;
        throughput.MarkerSize = 8;
        throughput.LegendText = T(language, "reports/s, LP capacity out of the way", "초당 보고서 수, LP 용량 제약 없음");
        foreach (var point in curve.Points)
        {
            var label = plot.Add.Text($"{point.PerSecond:F0}/s", point.Instances, point.PerSecond);
            label.LabelFontSize = 11;
            label.LabelOffsetY = -14;
        }

        if (runs.Where(run => run.LpBound).OrderBy(run => run.Instances).ToList() is { Count: > 0 } lpBound)
        {
            var bound = plot.Add.Scatter(lpBound.Select(run => (double)run.Instances).ToArray(), lpBound.Select(run => run.SteadyPerSecond).ToArray());
            bound.Color = Colors.DarkOrange;
            bound.LineWidth = 2;
            bound.MarkerSize = 8;
            bound.LegendText = T(language, $"reports/s, LP-bound (limit {lpBound[0].LpLimitPerSecond:F0}/s = capacity {lpBound[0].LpCapacity} ÷ LPRUN)",
                $"초당 보고서 수, LP 병목 (한도 초당 {lpBound[0].LpLimitPerSecond:F0}건 = 용량 {lpBound[0].LpCapacity} ÷ LPRUN)");
        }

        var efficiency = plot.Add.Scatter(instances, curve.Points.Select(point => point.Efficiency * 100).ToArray());
        efficiency.Axes.YAxis = plot.Axes.Right;
        efficiency.Color = Colors.SteelBlue;
        efficiency.LinePattern = LinePattern.Dashed;
        efficiency.MarkerSize = 6;
        efficiency.LegendText = T(language, "per-instance efficiency, % of one alone (right axis)", "인스턴스당 효율, 단독 대비 % (오른쪽 축)");

        var partitions = plot.Add.VerticalLine(curve.Partitions);
        partitions.Color = Colors.FireBrick;
        partitions.LinePattern = LinePattern.Dashed;
        partitions.LegendText = T(language, $"{curve.Partitions} partitions: instance {curve.Partitions + 1} would own none", $"파티션 {curve.Partitions}개: {curve.Partitions + 1}번째 인스턴스는 파티션을 받지 못함");
        if (curve.CpuSaturatedFrom is { } saturated)
        {
            var cores = plot.Add.VerticalLine(saturated);
            cores.Color = Colors.Purple;
            cores.LinePattern = LinePattern.Dashed;
            cores.LegendText = T(language, $"the machine's {curve.Cores} cores ≥ {ScaleCurve.CpuSaturated:P0} busy from here", $"여기부터 머신의 코어 {curve.Cores}개 사용률 ≥ {ScaleCurve.CpuSaturated:P0}");
        }

        plot.Axes.Bottom.SetTicks(Enumerable.Range(1, lastInstances).Select(n => (double)n).ToArray(),
            Enumerable.Range(1, lastInstances).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsX(0.5, lastInstances + 0.5);
        plot.Axes.SetLimitsY(0, Math.Max(lastInstances * curve.OneInstance, curve.Points.Max(point => point.PerSecond)) * 1.1, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, 120, plot.Axes.Right);
        plot.Axes.Bottom.Label.Text = T(language, "processor instances", "Processor 인스턴스 수");
        plot.Axes.Left.Label.Text = T(language, "reports completed per second (steady part of a burst)", "초당 완료 보고서 수 (측정 구간의 안정 구간)");
        plot.Axes.Right.Label.Text = T(language, "per-instance efficiency, %", "인스턴스당 효율, %");
        plot.Title(T(language, "Processor scale-out: throughput and efficiency against instances", "Processor 확장: 인스턴스 수에 따른 처리량과 효율"));
        plot.ShowLegend(Alignment.UpperCenter);
        return plot;
    }

    private static Plot Memory(BenchmarkResults results)
    {
        var plot = new Plot();
        Color[] colors = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen];
        foreach (var (service, color) in results.Memory.Zip(colors))
        {
            var line = plot.Add.Scatter(service.Timeline.Select(s => s.Seconds).ToArray(), service.Timeline.Select(s => s.RssMb).ToArray());
            line.Color = color;
            line.MarkerSize = 0;
            line.LegendText = $"{service.Service} (peak {service.PeakWorkingSetMb:F0} MB)";
        }

        plot.Axes.Bottom.Label.Text = "seconds into the overload";
        plot.Axes.Left.Label.Text = "working set (RSS), MB";
        // From zero: the point is that the lines stay flat, which a zoomed-in axis would hide.
        plot.Axes.SetLimitsY(0, results.Memory.Max(service => service.PeakWorkingSetMb) * 1.25);
        plot.Title($"Memory under a {results.OverloadSeconds:F0} s overload ({results.OverloadConcurrency} async clients)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static void AddLine(Plot plot, BenchmarkResults results, List<Load.LevelResult> levels, Func<Load.LevelResult, double> value,
        string legend, Color color, LinePattern pattern)
    {
        if (levels.Count == 0)
        {
            return;
        }

        var concurrency = ConcurrencyLevels(results);
        var line = plot.Add.Scatter(
            levels.Select(level => (double)Array.IndexOf(concurrency, level.Concurrency)).ToArray(),
            levels.Select(level => Math.Log10(value(level))).ToArray());
        line.Color = color;
        line.LinePattern = pattern;
        line.LegendText = legend;
    }

    /// <summary>Levels are evenly spaced (1, 8, 32… are not), labelled with their client counts.</summary>
    private static void ConcurrencyAxis(Plot plot, BenchmarkResults results, ChartLanguage language)
    {
        var concurrency = ConcurrencyLevels(results);
        plot.Axes.Bottom.SetTicks(concurrency.Select((_, i) => (double)i).ToArray(), concurrency.Select(c => c.ToString()).ToArray());
        plot.Axes.Bottom.Label.Text = T(language, "concurrent clients (closed loop)", "동시 클라이언트 수 (closed loop)");
    }

    private static int[] ConcurrencyLevels(BenchmarkResults results) =>
        results.Levels.Select(level => level.Concurrency).Distinct().Order().ToArray();

    /// <summary>ScottPlot draws log scales as log10 data with matching ticks.</summary>
    private static void LogAxis(IAxis axis, string label)
    {
        axis.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = value => Math.Pow(10, value) is var linear && linear >= 1 ? linear.ToString("N0") : linear.ToString("G2"),
        };
        axis.Label.Text = label;
    }

    private static string Save(Plot plot, string directory, string fileName)
    {
        var path = Path.Combine(directory, fileName);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
