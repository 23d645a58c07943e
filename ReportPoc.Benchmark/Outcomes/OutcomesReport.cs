using System.Globalization;
using System.Text;
using ScottPlot;
using static ReportPoc.Benchmark.Results.ModeOutput;

namespace ReportPoc.Benchmark.Outcomes;

/// <summary>The outcomes mode's targets (issue 21), named so the evidence report can word them in each language.</summary>
public enum OutcomeTarget
{
    NotificationDelay,
    OpenStreams,
    StreamsLetGo,
    RehearsalNothingLost,
    RehearsalFollowsSetting,
}

/// <summary>The outcomes mode's findings: each target with its measured figure and met/missed, then the tables and charts.</summary>
public static class OutcomesReport
{
    /// <summary>Issue 21's target for the event stream on this machine.</summary>
    public const double NotificationP99TargetMs = 100;

    public static IReadOnlyList<(OutcomeTarget Key, string Target, string Measured, bool Met)> Targets(OutcomesResults results)
    {
        var stream = results.Notification.Stream;
        var rehearsal = results.Rehearsal;
        return
        [
            (OutcomeTarget.NotificationDelay, $"notification delay p99 ≤ {NotificationP99TargetMs:F0} ms at half LP's limit",
                $"p99 {Ms(stream.Delay.P99Ms)} ms (p50 {Ms(stream.Delay.P50Ms)}), {stream.Followed}/{stream.Reports} outcomes received",
                stream.Followed == stream.Reports && stream.Delay.P99Ms <= NotificationP99TargetMs),
            (OutcomeTarget.OpenStreams, $"{results.Streams.Streams} streams open on one Api instance",
                $"{results.Streams.Opened} opened, {results.Streams.Refused} refused, {results.Streams.StillOpenAtEnd} still open at the end",
                results.Streams.Opened == results.Streams.Streams),
            (OutcomeTarget.StreamsLetGo, "the Api lets go of streams their client closed (the same client opens as many again 5 s later)",
                $"{results.Streams.RefusedOnReopen} of {results.Streams.Opened} refused on reopening",
                results.Streams.RefusedOnReopen == 0),
            (OutcomeTarget.RehearsalNothingLost, "migration rehearsal: lost 0, duplicate LPRUN 0",
                $"lost {rehearsal.Lost}, duplicate LPRUN {rehearsal.DuplicateRunExecutions}, errors {rehearsal.Errors}",
                rehearsal.Lost == 0 && rehearsal.DuplicateRunExecutions == 0),
            (OutcomeTarget.RehearsalFollowsSetting, $"migration rehearsal: every answer follows its client's setting within {rehearsal.GraceSeconds:F0} s",
                $"{rehearsal.OffSetting} off-setting answers of {rehearsal.Requests}; last old-path request {Number(rehearsal.MaxSwitchLagSeconds, "F2")} s after its switch",
                rehearsal.OffSetting == 0 && rehearsal.MaxSwitchLagSeconds <= rehearsal.GraceSeconds),
        ];
    }

    public static bool Holds(OutcomesResults results) => Targets(results).All(target => target.Met);

    public static string SummaryLine(OutcomesResults results)
    {
        var stream = results.Notification.Stream;
        var polling = results.Notification.Polling;
        var withStreams = results.Streams.Phases.FirstOrDefault(phase => phase.OpenStreams > 0);
        var before = results.Streams.Phases.FirstOrDefault();
        return $"outcomes: notify p50/p99 {Ms(stream.Delay.P50Ms)}/{Ms(stream.Delay.P99Ms)} ms (polling 1 s: {Ms(polling.Delay.P50Ms)}/{Ms(polling.Delay.P99Ms)} ms, "
            + $"{Number(polling.RequestsPerReport)} reads/report) | {results.Streams.Opened} streams: accept p99 {Ms(withStreams?.Latency.P99Ms ?? double.NaN)} ms vs "
            + $"{Ms(before?.Latency.P99Ms ?? double.NaN)} ms without, {Number(results.Streams.MbPerStream * 1024, "F0")} KB and {Number(results.Streams.ThreadsPerStream, "F3")} threads per stream | "
            + string.Join(" | ", results.Compat.Select(c => $"{c.Path} {c.LoadFraction:F1}×: p99 {Ms(c.AnswerTime.P99Ms)} ms, {Percent(c.ShareWithinLimit)} 200 within {results.BridgeWaitSeconds:F0} s"))
            + $" | rehearsal lost {results.Rehearsal.Lost} dup {results.Rehearsal.DuplicateRunExecutions} off-setting {results.Rehearsal.OffSetting}"
            + (Holds(results) ? " => targets met" : " => TARGET MISSED")
            + (results.Disturbed ? " | WARNING: other load seen (test run or another system)" : "");
    }

    public static string Markdown(OutcomesResults results)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.AppendLine(text);
        Line($"# Outcomes: push, bridge, migration — {results.StartedAt:yyyy-MM-dd HH:mm} UTC");
        Line();
        Line($"- Machine: {results.Machine}; other load seen: {Flag(results.Disturbed)}; CPU pressure {Pressure(results.CpuPressure)}");
        Line($"- One AppHost start, LP-bound (LP's limit {Number(results.LpLimitPerSecond)} reports/s), one processor instance, one Api instance; bridge wait {results.BridgeWaitSeconds:F0} s");
        Line();
        Line("**Summary:** " + SummaryLine(results));
        Line();
        Line("| target | measured | |");
        Line("|---|---|---|");
        foreach (var (_, target, measured, met) in Targets(results))
        {
            Line($"| {target} | {measured} | {(met ? "met" : "**missed**")} |");
        }

        var n = results.Notification;
        Line();
        Line($"## How soon a client learns the outcome ({Number(n.OfferedPerSecond)} reports/s, {Percent(n.LoadFraction)} of LP's limit)");
        Line();
        Line("Delay: from the report's completedAt (stamped in the transaction that commits Completed) to the client holding the final state.");
        Line();
        Line("| follower | reports | outcomes received | requests per report | delay p50 / p90 / p99 / max ms |");
        Line("|---|---:|---:|---:|---|");
        foreach (var follower in new[] { n.Stream, n.Polling })
        {
            Line($"| {follower.Follower} | {follower.Reports} | {follower.Followed} | {Number(follower.RequestsPerReport, "F2")} | {Ms(follower.Delay.P50Ms)} / {Ms(follower.Delay.P90Ms)} / {Ms(follower.Delay.P99Ms)} / {Ms(follower.Delay.MaxMs)} |");
        }

        Line();
        Line("![notification delay](notification.png)");
        Line();
        Line($"## The bridge against the as-is path, same offered load ({results.Compat.FirstOrDefault()?.Seconds ?? 0:F0} s each, open loop)");
        Line();
        Line("| path | load (× LP's limit) | offered/s | requests | answers | 200 within the limit | answer p50 / p99 / max ms | Api threads mean / max | status read p99 ms | drain s | unfinished |");
        Line("|---|---:|---:|---:|---|---:|---|---|---:|---:|---:|");
        foreach (var c in results.Compat)
        {
            var answers = string.Join(", ", c.Answers.Select(answer => $"{(answer.Key == 0 ? "no answer" : answer.Key.ToString(CultureInfo.InvariantCulture))}: {answer.Value}"));
            Line($"| {c.Path} | {c.LoadFraction:F1} | {Number(c.OfferedPerSecond)} | {c.Requests} | {answers} | {Percent(c.ShareWithinLimit)} | {Ms(c.AnswerTime.P50Ms)} / {Ms(c.AnswerTime.P99Ms)} / {Ms(c.AnswerTime.MaxMs)} | {Number(c.Api.MeanThreads, "F0")} / {c.Api.MaxThreads} | {Ms(c.StatusRead?.Latency.P99Ms ?? double.NaN)} | {Number(c.DrainSeconds)} | {c.Unfinished} |");
        }

        Line();
        Line("![bridge vs as-is](bridge.png)");
        var r = results.Rehearsal;
        Line();
        Line($"## Migration rehearsal ({r.Clients} clients, {Number(r.PerClientPerSecond)} reports/s each, {Number(r.Seconds, "F0")} s)");
        Line();
        Line("| at s | client | from | to |");
        Line("|---:|---|---|---|");
        foreach (var change in r.Switches)
        {
            Line($"| {Number(change.AtSeconds)} | {change.Client} | {change.From.ToString().ToLowerInvariant()} | {change.To.ToString().ToLowerInvariant()} |");
        }

        Line();
        Line($"Requests {r.Requests}, accepted (200/202) {r.Accepted}, errors {r.Errors}; final: Completed {r.Completed}, Failed {r.Failed}, lost {r.Lost}; "
            + $"LPRUN executions during the rehearsal {r.LpRunExecutions}, duplicates {r.DuplicateRunExecutions}; off-setting answers {r.OffSetting} "
            + $"(grace {r.GraceSeconds:F0} s); last old-path request {Number(r.MaxSwitchLagSeconds, "F2")} s after its switch.");
        Line();
        Line("![migration rehearsal](rehearsal.png)");
        var s = results.Streams;
        Line();
        Line($"## {s.Streams} open streams on one Api instance");
        Line();
        Line($"Opened {s.Opened} in {Number(s.OpenSeconds)} s, refused {s.Refused}, still open when the measurement with streams ended {s.StillOpenAtEnd}; "
            + $"per stream: {Number(s.MbPerStream * 1024, "F0")} KB of Api RSS, {Number(s.ThreadsPerStream, "F3")} Api threads. Closed by the client and "
            + $"opened again 5 s later by the same client: {s.RefusedOnReopen} refused (a place the Api still held would be refused past the per-client bound of {s.Streams + 100}).");
        Line();
        Line($"| accept path at {Number(s.AcceptPerSecond, "F0")}/s | open streams | requests | errors | p50 / p99 / max ms | Api threads mean / max | Api RSS MB mean / max |");
        Line("|---|---:|---:|---:|---|---|---|");
        foreach (var phase in s.Phases)
        {
            Line($"| {phase.Phase} | {phase.OpenStreams} | {phase.Requests} | {phase.Errors} | {Ms(phase.Latency.P50Ms)} / {Ms(phase.Latency.P99Ms)} / {Ms(phase.Latency.MaxMs)} | {Number(phase.Api.MeanThreads, "F0")} / {phase.Api.MaxThreads} | {Number(phase.Api.MeanRssMb, "F0")} / {Number(phase.Api.MaxRssMb, "F0")} |");
        }

        return md.ToString();
    }

    public static IEnumerable<(string, Plot)> Charts(OutcomesResults results)
    {
        var palette = new ScottPlot.Palettes.Category10();

        var notification = new Plot();
        var followers = new[] { results.Notification.Stream, results.Notification.Polling };
        var bars = new List<Bar>();
        for (var f = 0; f < followers.Length; f++)
        {
            double[] values = [followers[f].Delay.P50Ms, followers[f].Delay.P99Ms];
            for (var i = 0; i < values.Length; i++)
            {
                bars.Add(new Bar { Position = f * 3 + i, Value = double.IsNaN(values[i]) ? 0 : values[i], FillColor = palette.GetColor(i), Label = Ms(values[i]) });
            }
        }

        notification.Add.Bars(bars);
        notification.Axes.Bottom.SetTicks([0.5, 3.5], [.. followers.Select(follower => follower.Follower)]);
        notification.Axes.Left.Label.Text = "completedAt → client has it, ms";
        notification.Axes.Margins(bottom: 0);
        notification.Legend.ManualItems.Add(new LegendItem { LabelText = "p50", FillColor = palette.GetColor(0) });
        notification.Legend.ManualItems.Add(new LegendItem { LabelText = "p99", FillColor = palette.GetColor(1) });
        notification.ShowLegend(Alignment.UpperLeft);
        notification.Title("How soon the client learns the outcome");
        yield return ("notification.png", notification);

        var bridge = new Plot();
        var compatBars = new List<Bar>();
        for (var c = 0; c < results.Compat.Count; c++)
        {
            var condition = results.Compat[c];
            double[] values = [condition.AnswerTime.P50Ms / 1000, condition.AnswerTime.P99Ms / 1000];
            for (var i = 0; i < values.Length; i++)
            {
                compatBars.Add(new Bar { Position = c * 3 + i, Value = double.IsNaN(values[i]) ? 0 : values[i], FillColor = palette.GetColor(i), Label = Number(values[i], "F2") });
            }
        }

        bridge.Add.Bars(compatBars);
        bridge.Axes.Bottom.SetTicks([.. results.Compat.Select((_, c) => c * 3 + 0.5)],
            [.. results.Compat.Select(condition => $"{condition.Path} {condition.LoadFraction:F1}×\n{Percent(condition.ShareWithinLimit)} 200 ≤ {results.BridgeWaitSeconds:F0} s")]);
        bridge.Axes.Left.Label.Text = "answer time, s";
        bridge.Axes.Margins(bottom: 0);
        bridge.Legend.ManualItems.Add(new LegendItem { LabelText = "p50", FillColor = palette.GetColor(0) });
        bridge.Legend.ManualItems.Add(new LegendItem { LabelText = "p99", FillColor = palette.GetColor(1) });
        bridge.ShowLegend(Alignment.UpperLeft);
        bridge.Title("Today's clients: as-is (sync) vs the bridge, same offered load");
        yield return ("bridge.png", bridge);

        var rehearsal = new Plot();
        var clients = results.Rehearsal.Answers.Select(answer => answer.Client).Distinct().Order(StringComparer.Ordinal).ToList();
        string[] paths = ["sync", "bridge", "async"];
        for (var p = 0; p < paths.Length; p++)
        {
            var served = results.Rehearsal.Answers.Where(answer => answer.ServedBy == paths[p]).ToList();
            if (served.Count == 0)
            {
                continue;
            }

            var points = rehearsal.Add.ScatterPoints(served.Select(answer => answer.SentSeconds).ToArray(), served.Select(answer => (double)clients.IndexOf(answer.Client)).ToArray());
            points.Color = palette.GetColor(p);
            points.MarkerSize = 7;
            points.LegendText = $"served by {paths[p]}";
        }

        foreach (var change in results.Rehearsal.Switches)
        {
            var line = rehearsal.Add.VerticalLine(change.AtSeconds);
            line.Color = Colors.Gray.WithAlpha(0.6);
            line.LinePattern = LinePattern.Dashed;
        }

        rehearsal.Axes.Left.SetTicks([.. clients.Select((_, i) => (double)i)], [.. clients]);
        rehearsal.Axes.Bottom.Label.Text = "request sent, s from the start (dashed: an operator switched a client)";
        rehearsal.ShowLegend(Alignment.UpperLeft);
        rehearsal.Title("Migration rehearsal: which path served each request");
        yield return ("rehearsal.png", rehearsal);
    }
}
