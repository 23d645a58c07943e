using Aspire.Hosting.ApplicationModel;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

public sealed class StartupTests(ReportPocApp system)
{
    [Fact]
    public void EveryServiceIsHealthyInLocalMode()
    {
        foreach (var service in ReportPocApp.Services)
        {
            Assert.True(system.App.ResourceNotifications.TryGetCurrentState(service, out var state), $"{service} is unknown");
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }

        Assert.True(system.App.ResourceNotifications.TryGetCurrentState("infrastructure", out var infrastructure));
        Assert.Equal("Local mode", infrastructure.Snapshot.State?.Text);
    }

    [Fact]
    public async Task ApiAnswersHealthAndServesItsApiReference()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var health = await system.Api.GetAsync("/health", cancellation);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var openApi = await system.Api.GetAsync("/openapi/v1.json", cancellation);
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var document = await openApi.Content.ReadAsStringAsync(cancellation);
        Assert.Contains("/api/reports/sync", document);
        Assert.Contains("/api/reports/{id}", document);
    }
}
