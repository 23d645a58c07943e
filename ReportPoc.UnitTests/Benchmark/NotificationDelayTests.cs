using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.UnitTests.Benchmark;

/// <summary>The notification delay's arithmetic: from the outcome's own timestamp to the client having it, and what a follower that got nothing counts as.</summary>
public sealed class NotificationDelayTests
{
    private static readonly DateTimeOffset Accepted = new(2026, 12, 3, 19, 0, 0, TimeSpan.Zero);

    private static ReportView Completed(DateTimeOffset completedAt) => new()
    {
        Id = Guid.NewGuid(),
        Status = ReportStatus.Completed,
        Path = ReportPath.Async,
        Timestamps = new ReportTimestamps { AcceptedAt = Accepted, CompletedAt = completedAt },
    };

    [Fact]
    public void TheDelayRunsFromCompletedAtToReceipt()
    {
        var followed = new Followed(Completed(Accepted.AddSeconds(2)), Accepted.AddSeconds(2.04), Requests: 1);

        Assert.Equal(TimeSpan.FromMilliseconds(40), followed.Delay);
    }

    [Fact]
    public void FollowersWithoutAnOutcomeCountAsReportsButNotAsReceived()
    {
        Followed?[] reports =
        [
            new Followed(Completed(Accepted.AddSeconds(2)), Accepted.AddSeconds(2.5), Requests: 3),
            new Followed(Completed(Accepted.AddSeconds(2)), Accepted.AddSeconds(3), Requests: 5),
            new Followed(null, null, Requests: 180), // gave up
            null, // never accepted
        ];

        var result = NotificationDelay.Summarise("polling", reports);

        Assert.Equal(4, result.Reports);
        Assert.Equal(2, result.Followed);
        Assert.Equal(4, result.RequestsPerReport);
        Assert.Equal(1000, result.Delay.MaxMs, precision: 0);
        Assert.Equal(2, result.Delay.Count);
    }
}
