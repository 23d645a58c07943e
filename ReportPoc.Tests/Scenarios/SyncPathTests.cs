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
        var report = await response.ReadJsonAsync();
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal("sync", report.GetProperty("path").GetString());
        Assert.StartsWith("Q-", report.GetProperty("lpQueueId").GetString());
        Assert.StartsWith("R-", report.GetProperty("lpRunId").GetString());
        var timestamps = report.GetProperty("timestamps");
        foreach (var step in new[] { "insertedAt", "queuedAt", "lpRunRequestedAt", "completedAt" })
        {
            Assert.NotEqual(System.Text.Json.JsonValueKind.Null, timestamps.GetProperty(step).ValueKind);
        }

        var id = report.GetProperty("id").GetGuid();
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));

        using var status = await system.Api.GetAsync($"/api/reports/{id}", TestContext.Current.CancellationToken);
        Assert.Equal("Completed", (await status.ReadJsonAsync()).GetProperty("status").GetString());
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
        var id = (await first.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await second.ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
    }
}
