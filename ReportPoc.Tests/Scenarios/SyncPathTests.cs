using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>The as-is path: the Api runs DB INSERT → setQueue → DB UPDATE → LPRUN before it answers.</summary>
public sealed class SyncPathTests(ReportPocApp system)
{
    [Fact]
    public async Task SubmissionAnswersCompletedAfterBothLpCalls()
    {
        using var response = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody(), out _), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadReportAsync();
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(ReportPath.Sync, report.Path);
        Assert.StartsWith("Q-", report.LpQueueId);
        Assert.StartsWith("R-", report.LpRunId);
        Assert.NotNull(report.Timestamps.InsertedAt);
        Assert.NotNull(report.Timestamps.QueuedAt);
        Assert.NotNull(report.Timestamps.LpRunRequestedAt);
        Assert.NotNull(report.Timestamps.CompletedAt);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(report.Id));
    }

    [Fact]
    public async Task SameIdempotencyKeyTwiceRunsTheReportOnce()
    {
        var key = "sync-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        using var first = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), TestContext.Current.CancellationToken);
        using var second = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var id = (await first.ReadReportAsync()).Id;
        Assert.Equal(id, (await second.ReadReportAsync()).Id);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
    }
}
