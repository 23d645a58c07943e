using ReportPoc.Benchmark.Load;

namespace ReportPoc.Benchmark.Outcomes;

/// <param name="Followed">Reports whose outcome the followers received.</param>
/// <param name="RequestsPerReport">Mean HTTP requests a follower sent per report it learned the outcome of.</param>
/// <param name="Delay">Outcome timestamp → the client has the outcome.</param>
public sealed record FollowerResult(string Follower, int Reports, int Followed, double RequestsPerReport, LatencySummary Delay);

public sealed record NotificationDelayResult(double OfferedPerSecond, double LoadFraction, double PollIntervalSeconds, FollowerResult Stream, FollowerResult Polling);

/// <summary>
/// How soon a client learns a report's outcome: reports submitted on the async path at a steady rate (open loop), every
/// other one followed by its event stream and the rest by polling the status URL once a second, the polling the stream
/// replaces. The delay runs from the outcome's own timestamp (completedAt, stamped in the transaction that commits
/// Completed, so the commit itself is inside the figure) to the moment the client has the final state.
/// </summary>
public static class NotificationDelay
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(3);

    public static async Task<NotificationDelayResult> RunAsync(ReportPocClient client, double perSecond, double loadFraction, TimeSpan duration,
        Action<double> onProgress, CancellationToken cancellationToken)
    {
        var followed = await OpenLoop.RunAsync(perSecond, duration, async i =>
        {
            var statusUrl = await client.SubmitForStatusAsync(cancellationToken);
            var byStream = i % 2 == 0;
            if (statusUrl is null)
            {
                return (byStream, Followed: (Followed?)null);
            }

            return (byStream, Followed: byStream
                ? await ReportFollowers.ByStreamAsync(client, statusUrl, GiveUpAfter, cancellationToken)
                : await ReportFollowers.ByPollingAsync(client, statusUrl, PollInterval, GiveUpAfter, cancellationToken));
        }, onProgress, cancellationToken);

        return new NotificationDelayResult(perSecond, loadFraction, PollInterval.TotalSeconds,
            Summarise("event stream", followed.Where(f => f.byStream).Select(f => f.Followed).ToList()),
            Summarise($"polling every {PollInterval.TotalSeconds:F0} s", followed.Where(f => !f.byStream).Select(f => f.Followed).ToList()));
    }

    public static FollowerResult Summarise(string follower, IReadOnlyList<Followed?> reports)
    {
        var delays = LatencySummary.NewHistogram();
        var withOutcome = reports.Where(report => report?.Delay is not null).Select(report => report!).ToList();
        foreach (var report in withOutcome)
        {
            // A delay below zero would be the machine's clock stepping between two readings of the same clock.
            delays.RecordValue(Math.Max(0, report.Delay!.Value.Ticks / 10));
        }

        return new FollowerResult(follower, reports.Count, withOutcome.Count,
            withOutcome.Count == 0 ? double.NaN : withOutcome.Average(report => report.Requests), LatencySummary.From(delays));
    }
}
