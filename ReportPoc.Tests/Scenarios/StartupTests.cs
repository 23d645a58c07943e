using Aspire.Hosting.ApplicationModel;
using ReportPoc.Contracts;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

public sealed class StartupTests(ReportPocApp system)
{
    [Fact]
    public async Task EveryServiceIsHealthyInLocalModeAndOneProcessorOwnsEveryPartition()
    {
        foreach (var service in ReportPocApp.Services)
        {
            Assert.True(system.App.ResourceNotifications.TryGetCurrentState(service, out var state), $"{service} is unknown");
            Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }

        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.Infrastructure, out var infrastructure));
        Assert.Equal("Local mode", infrastructure.Snapshot.State?.Text);

        // The schema's one owner ran and finished before the services started.
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.DatabaseMigrations, out var migrations));
        Assert.Equal(KnownResourceStates.Finished, migrations.Snapshot.State?.Text);
        Assert.Equal(0, migrations.Snapshot.ExitCode);

        // Declared instances beyond the first wait to be added; the pool says how many run.
        Assert.True(system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.ProcessorPool, out var pool));
        Assert.Equal($"1 of {ReportPocApp.MaxProcessors} running", pool.Snapshot.State?.Text);
        var processing = (await system.Api.SystemAsync()).Processing!;
        var instance = Assert.Single(processing.Instances);
        Assert.Equal(Enumerable.Range(0, ReportPocApp.Partitions), instance.Partitions);
        Assert.Null(processing.Pause);
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
