using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The compatibility endpoint: today's sync contract served on each client's path (as-is, bridge, async), switched by
/// an operator from the dashboard while the system runs.
/// </summary>
public sealed class CompatibilityTests(ReportPocApp system)
{
    private const string Endpoint = "/api/reports/compat";
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ABridgedClientGets200WithTheFinalReportThroughKafka()
    {
        var client = NewClient();
        await system.SetClientPathAsync(client, ClientPath.Bridge);

        using var response = await WhenServedByAsync(client, ClientPath.Bridge);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadReportAsync();
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(ReportPath.Async, report.Path); // through Kafka and the processor, not the as-is workflow in the Api
        Assert.Equal(client, report.ReporterId);
        Assert.NotNull(report.StatusUrl);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(report.Id));
    }

    [Fact]
    public async Task PastTheBridgeWaitTheAnswerIs202WithTheStatusUrlAndTheReportStillCompletesOnce()
    {
        var client = NewClient();
        await system.SetClientPathAsync(client, ClientPath.Bridge);
        await WhenServedByAsync(client, ClientPath.Bridge);

        // LPRUN ×40 (≈6 s in the suite's profile) outlasts the bridge's wait.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 40));
        HttpResponseMessage response;
        try
        {
            response = await system.Api.SendAsync(Reports.Submit(Endpoint, Reports.ValidBody(reporterId: client), out _, "late-" + Guid.NewGuid()),
                TestContext.Current.CancellationToken);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.Equal("bridge", ServedBy(response));
            var accepted = (await response.Content.ReadFromJsonAsync<AcceptedReport>(TestContext.Current.CancellationToken))!;
            Assert.Equal(response.Headers.Location?.ToString(), accepted.StatusUrl);

            var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, CompletionTimeout);
            Assert.Equal(ReportStatus.Completed, report.Status);
            Assert.Equal((1, 1), await system.Lp.CallsForAsync(report.Id));
        }
    }

    [Fact]
    public async Task SwitchingAClientMovesItsNextRequestsWhileARequestInFlightFinishesOnItsOwnPath()
    {
        var client = NewClient();

        // No setting: the as-is path, answered as POST /api/reports/sync answers.
        using (var asIs = await WhenServedByAsync(client, ClientPath.Sync))
        {
            Assert.Equal(HttpStatusCode.OK, asIs.StatusCode);
            Assert.Equal(ReportPath.Sync, (await asIs.ReadReportAsync()).Path);
        }

        await system.SetClientPathAsync(client, ClientPath.Async);
        using (var async = await WhenServedByAsync(client, ClientPath.Async))
        {
            Assert.Equal(HttpStatusCode.Accepted, async.StatusCode);
            var accepted = (await async.Content.ReadFromJsonAsync<AcceptedReport>(TestContext.Current.CancellationToken))!;
            Assert.Equal(ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, CompletionTimeout)).Status);
        }

        // A bridged request in flight when the client is moved back to sync: it answers as the bridge, its report runs once.
        await system.SetClientPathAsync(client, ClientPath.Bridge);
        await WhenServedByAsync(client, ClientPath.Bridge);
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 10));
        HttpResponseMessage inFlight;
        try
        {
            var before = (await system.Lp.StatsAsync()).InFlightRuns;
            var request = system.Api.SendAsync(Reports.Submit(Endpoint, Reports.ValidBody(reporterId: client), out _, "moving-" + Guid.NewGuid()),
                TestContext.Current.CancellationToken);
            await Eventually.TrueAsync(async () => (await system.Lp.StatsAsync()).InFlightRuns > before, CompletionTimeout);
            await system.SetClientPathAsync(client, ClientPath.Sync);
            inFlight = await request;
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        using (inFlight)
        {
            Assert.Equal("bridge", ServedBy(inFlight));
            Assert.Equal(HttpStatusCode.OK, inFlight.StatusCode);
            var report = await inFlight.ReadReportAsync();
            Assert.Equal(ReportPath.Async, report.Path);
            Assert.Equal((1, 1), await system.Lp.CallsForAsync(report.Id));
        }

        using var back = await WhenServedByAsync(client, ClientPath.Sync);
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(ReportPath.Sync, (await back.ReadReportAsync()).Path);
    }

    private static string NewClient() => "compat-" + Guid.NewGuid().ToString("N")[..12];

    private static string? ServedBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CompatibilityHeaders.ServedBy, out var values) ? values.Single() : null;

    /// <summary>
    /// Submits new reports until one is served on <paramref name="path"/> (a switch reaches the Api instances within moments)
    /// and returns that answer.
    /// </summary>
    private async Task<HttpResponseMessage> WhenServedByAsync(string client, ClientPath path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var response = await system.Api.SendAsync(Reports.Submit(Endpoint, Reports.ValidBody(reporterId: client), out _, "compat-" + Guid.NewGuid()),
                TestContext.Current.CancellationToken);
            if (ServedBy(response) == path.ToString().ToLowerInvariant())
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{client} was not served on {path} within 10 s; last: {ServedBy(response)}");
            response.Dispose();
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
