using System.Diagnostics;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>Failures stay where they happen: LP or broker trouble never makes the Api hang or lose an accepted report.</summary>
public sealed class FaultIsolationTests(ReportPocApp system)
{
    [Fact]
    public async Task LpOutageFailsTheSyncPathButTheAsyncPathStillAcceptsAndCompletesAfterHealing()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using (var outage = await system.Lp.PutAsJsonAsync("/lp/admin/faults", new { errorRate = 0.0, slowdownFactor = 1, outage = true }, cancellation))
        {
            outage.EnsureSuccessStatusCode();
        }

        HttpResponseMessage accepted;
        try
        {
            using var sync = await system.Api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody(), out _), cancellation);
            Assert.Equal(HttpStatusCode.BadGateway, sync.StatusCode);
            Assert.True(sync.IsProblemJson());
            Assert.Equal("Failed", (await system.Api.GetFromJsonAsync<System.Text.Json.JsonElement>(
                $"/api/reports/{(await sync.ReadJsonAsync()).GetProperty("reportId").GetGuid()}", cancellation)).GetProperty("status").GetString());

            accepted = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation); // the processor meets the outage and retries
        }
        finally
        {
            using var heal = await system.Lp.PostAsync("/lp/admin/heal", null, CancellationToken.None);
        }

        var report = await system.Api.WaitUntilFinishedAsync(accepted.Headers.Location!.ToString(), TimeSpan.FromSeconds(30));
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        accepted.Dispose();
    }

    [Fact]
    public async Task BrokerDownAnswers503WithRetryAfterWithinTheAckTimeoutAndRecovers()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var broker = system.App.CreateHttpClient("kafka-dev-broker");
        (await broker.PostAsync("/broker/down", null, cancellation)).EnsureSuccessStatusCode();
        try
        {
            var clock = Stopwatch.StartNew();
            using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
            clock.Stop();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(response.IsProblemJson());
            Assert.NotNull(response.Headers.RetryAfter);
            // Bounded by Publishing:AckTimeout (3 s) plus slack for a busy CI machine, never the client's timeout.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"503 took {clock.Elapsed}");
            TestContext.Current.TestOutputHelper?.WriteLine($"broker down: 503 after {clock.Elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            (await broker.PostAsync("/broker/up", null, CancellationToken.None)).EnsureSuccessStatusCode();
        }

        // Recovers by itself: accepted again once the broker is back.
        var recovery = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        HttpStatusCode status;
        do
        {
            using var retry = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
            status = retry.StatusCode;
        }
        while (status != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.Accepted, status);
        TestContext.Current.TestOutputHelper?.WriteLine($"broker up: first 202 after {recovery.Elapsed.TotalMilliseconds:F0} ms");
    }
}
