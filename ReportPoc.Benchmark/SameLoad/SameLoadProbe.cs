using System.Diagnostics;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Results;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.SameLoad;

/// <summary>
/// Offers one path a fixed rate for a fixed time (open loop: the i-th report goes out at i ÷ rate whatever happened to
/// the ones before) and follows every report to its end: the sync path's answer is its end; an async report's end is
/// read from its status URL and placed on the client's clock by its acknowledgement (the report's own completedAt −
/// acceptedAt after the 202), so the polling interval does not blur it.
/// </summary>
public static class SameLoadProbe
{
    /// <summary>Status reads per waiting report: coarse, since the report's own timestamps carry the figure.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static async Task<SameLoadResult> RunAsync(ReportPocClient client, string path, string load, double fraction, double lpLimitPerSecond,
        TimeSpan duration, TimeSpan giveUpAfterLoad, Action<double> onProgress, CancellationToken cancellationToken)
    {
        var perSecond = fraction * lpLimitPerSecond;
        var count = Math.Max(1, (int)Math.Round(perSecond * duration.TotalSeconds));
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        var giveUpAt = duration + giveUpAfterLoad;
        double Now() => Stopwatch.GetElapsedTime(started).TotalSeconds;

        var reports = new List<Task<ReportTimeline>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            reports.Add(path == BenchmarkResults.Sync
                ? SyncAsync(client, Now, cancellationToken)
                : AsyncAsync(client, Now, giveUpAt.TotalSeconds, cancellationToken));
            onProgress(0.5 * (i + 1) / count);
        }

        while (reports.Any(report => !report.IsCompleted))
        {
            onProgress(0.5 + 0.5 * reports.Count(report => report.IsCompleted) / count);
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        return SameLoadTimeline.Summarize(path, load, fraction, perSecond, lpLimitPerSecond, duration.TotalSeconds,
            reports.Select(report => report.Result).ToList());
    }

    private static async Task<ReportTimeline> SyncAsync(ReportPocClient client, Func<double> now, CancellationToken cancellationToken)
    {
        var sent = now();
        ReportView? report;
        try
        {
            report = await client.SubmitSyncForStatusAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            report = null;
        }

        var answered = now();
        return report is null
            ? new ReportTimeline(sent, null, null, false)
            : new ReportTimeline(sent, answered, report.IsFinal ? answered : null, report.Status == ReportStatus.Completed);
    }

    private static async Task<ReportTimeline> AsyncAsync(ReportPocClient client, Func<double> now, double giveUpAt, CancellationToken cancellationToken)
    {
        var sent = now();
        Uri? statusUrl;
        try
        {
            statusUrl = await client.SubmitForStatusAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            statusUrl = null;
        }

        var acked = now();
        if (statusUrl is null)
        {
            return new ReportTimeline(sent, null, null, false);
        }

        while (now() < giveUpAt)
        {
            await Task.Delay(PollInterval, cancellationToken);
            if (await StatusAsync(client, statusUrl, cancellationToken) is { IsFinal: true, Timestamps: var times } report
                && (times.CompletedAt ?? times.FailedAt) is { } finalAt)
            {
                return new ReportTimeline(sent, acked, acked + (finalAt - times.AcceptedAt).TotalSeconds, report.Status == ReportStatus.Completed);
            }
        }

        return new ReportTimeline(sent, acked, null, false);
    }

    /// <summary>A status read that failed is read again at the next poll: the report's fate is what counts.</summary>
    private static async Task<ReportView?> StatusAsync(ReportPocClient client, Uri statusUrl, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetStatusAsync(statusUrl, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }
}
