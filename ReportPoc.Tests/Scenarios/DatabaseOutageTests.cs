using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>PostgreSQL crashes for a while: the Api still accepts, the processor retries without committing, and nothing is lost.</summary>
public sealed class DatabaseOutageTests(ReportPocApp system)
{
    [Fact]
    public async Task ReportsAcceptedWhilePostgresIsDownCompleteAfterItReturns()
    {
        var cancellation = TestContext.Current.CancellationToken;
        await system.App.KillAsync("postgres");
        var statusUrls = new List<string>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                using var accepted = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                statusUrls.Add(accepted.Headers.Location!.ToString());
            }

            // Long enough for the processor to meet the outage and retry.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
        }
        finally
        {
            await system.App.StartAsync("postgres");
        }

        foreach (var statusUrl in statusUrls)
        {
            var report = await system.Api.WaitUntilFinishedAsync(statusUrl, TimeSpan.FromMinutes(1));
            Assert.Equal("Completed", report.GetProperty("status").GetString());
        }
    }
}
