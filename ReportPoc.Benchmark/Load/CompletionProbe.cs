using System.Diagnostics;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Load;

/// <param name="Pickup">Accept → picked up by a processor (inserted): the part of the latency that is queueing, not work.</param>
/// <param name="BeforeLpRun">Accept → LPRUN claimed: the latency without LPRUN's own (jittered) second.</param>
public sealed record CompletionResult(double OfferedPerSecond, double LoadFraction, int Submitted, int Completed, int Failed, int Unfinished,
    LatencySummary Latency, LatencySummary Pickup, LatencySummary BeforeLpRun);

/// <summary>
/// Accept → Completed latency of the async path as a client sees it through the status API. Reports are offered at a
/// steady rate below the LP limit (open loop), each status URL is polled until the report is final, and the latency
/// is the report's own completedAt − acceptedAt, so the polling interval does not blur it.
/// </summary>
public static class CompletionProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public static async Task<CompletionResult> RunAsync(ReportPocClient client, double perSecond, double loadFraction, TimeSpan duration,
        Action<double> onProgress, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, (int)(perSecond * duration.TotalSeconds));
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        var reports = new List<Task<ReportView?>>(count);
        for (var i = 0; i < count; i++)
        {
            // Open loop: the i-th report goes out at i × interval whatever happened to the ones before.
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            reports.Add(SubmitAndFollowAsync(client, cancellationToken));
            onProgress(0.5 * (i + 1) / count);
        }

        while (reports.Any(report => !report.IsCompleted))
        {
            onProgress(0.5 + 0.5 * reports.Count(report => report.IsCompleted) / count);
            await Task.Delay(PollInterval, cancellationToken);
        }

        var finals = reports.Select(report => report.Result).ToList();
        var histogram = LatencySummary.NewHistogram();
        var pickup = LatencySummary.NewHistogram();
        var beforeLpRun = LatencySummary.NewHistogram();
        foreach (var times in finals.Where(report => report is { Status: ReportStatus.Completed, Timestamps: { CompletedAt: not null, InsertedAt: not null } })
                     .Select(report => report!.Timestamps))
        {
            histogram.RecordValue((times.CompletedAt!.Value - times.AcceptedAt).Ticks / 10);
            pickup.RecordValue(Math.Max(0, (times.InsertedAt!.Value - times.AcceptedAt).Ticks / 10));
            if (times.LpRunRequestedAt is { } lpRun)
            {
                beforeLpRun.RecordValue(Math.Max(0, (lpRun - times.AcceptedAt).Ticks / 10));
            }
        }

        return new CompletionResult(perSecond, loadFraction, count,
            finals.Count(report => report?.Status == ReportStatus.Completed),
            finals.Count(report => report?.Status == ReportStatus.Failed),
            finals.Count(report => report is null || !report.IsFinal),
            LatencySummary.From(histogram),
            LatencySummary.From(pickup),
            LatencySummary.From(beforeLpRun));
    }

    private static async Task<ReportView?> SubmitAndFollowAsync(ReportPocClient client, CancellationToken cancellationToken)
    {
        var statusUrl = await client.SubmitForStatusAsync(cancellationToken);
        if (statusUrl is null)
        {
            return null;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(GiveUpAfter.TotalSeconds * Stopwatch.Frequency);
        ReportView? status = null;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(PollInterval, cancellationToken);
            status = await client.GetStatusAsync(statusUrl, cancellationToken);
            if (status is { IsFinal: true })
            {
                break;
            }
        }

        return status;
    }
}
