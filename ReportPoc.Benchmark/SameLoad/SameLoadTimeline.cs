using ReportPoc.Benchmark.Load;

namespace ReportPoc.Benchmark.SameLoad;

/// <summary>
/// One report of a same-load run on the client's clock, in seconds from the run's first send: sent, acknowledged (null:
/// not accepted), final (null: not final when the run gave up), and whether it ended Completed.
/// </summary>
public sealed record ReportTimeline(double SentAt, double? AckAt, double? FinalAt, bool Completed);

/// <summary>The arithmetic of a same-load run: from each report's timeline to latencies, the backlog over time and the drain.</summary>
public static class SameLoadTimeline
{
    /// <summary>How often the backlog is sampled for its chart and table.</summary>
    public const double SampleEverySeconds = 1;

    public static SameLoadResult Summarize(string path, string load, double loadFraction, double offeredPerSecond, double lpLimitPerSecond,
        double loadSeconds, IReadOnlyList<ReportTimeline> reports)
    {
        var ack = LatencySummary.NewHistogram();
        var toCompleted = LatencySummary.NewHistogram();
        foreach (var report in reports)
        {
            if (report.AckAt is { } acked)
            {
                ack.RecordValue(Microseconds(acked - report.SentAt));
            }

            if (report is { Completed: true, FinalAt: { } final })
            {
                toCompleted.RecordValue(Microseconds(final - report.SentAt));
            }
        }

        var accepted = reports.Where(report => report.AckAt is not null).ToList();
        var unfinished = accepted.Count(report => report.FinalAt is null);
        var lastFinal = accepted.Select(report => report.FinalAt).Max();
        var end = Math.Max(loadSeconds, lastFinal ?? loadSeconds);
        var samples = new List<BacklogSample>();
        for (var at = 0.0; at <= end + SampleEverySeconds / 2; at += SampleEverySeconds)
        {
            samples.Add(new BacklogSample(at, BacklogAt(accepted, at)));
        }

        return new SameLoadResult(path, load, loadFraction, offeredPerSecond, lpLimitPerSecond, loadSeconds,
            reports.Count,
            accepted.Count,
            accepted.Count(report => report is { Completed: true, FinalAt: not null }),
            accepted.Count(report => report is { Completed: false, FinalAt: not null }),
            reports.Count - accepted.Count,
            unfinished,
            LatencySummary.From(ack),
            LatencySummary.From(toCompleted),
            PeakBacklog(accepted),
            BacklogAt(accepted, loadSeconds),
            unfinished == 0 && lastFinal is { } last ? Math.Max(0, last - loadSeconds) : null,
            samples);
    }

    /// <summary>Accepted reports sent by <paramref name="at"/> and not final by then.</summary>
    public static int BacklogAt(IEnumerable<ReportTimeline> accepted, double at) =>
        accepted.Count(report => report.SentAt <= at && (report.FinalAt is not { } final || final > at));

    /// <summary>The exact peak: the backlog only rises at a send, so it is read just after each one.</summary>
    private static int PeakBacklog(IReadOnlyList<ReportTimeline> accepted) =>
        accepted.Select(report => BacklogAt(accepted, report.SentAt)).DefaultIfEmpty(0).Max();

    private static long Microseconds(double seconds) => Math.Max(0, (long)(seconds * 1_000_000));
}
