using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReportPoc.Benchmark.Memory;

namespace ReportPoc.Benchmark.Hosting;

/// <summary>The system being measured: one the tool started (and stops), or one already running at a URL.</summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Services = ["kafka-dev-broker", "postgres", "lpmock", "api"];

    private readonly DistributedApplication? _app;

    private SystemUnderTest(Uri apiUrl, int replicas, string? kafka, DistributedApplication? app)
    {
        ApiUrl = apiUrl;
        Replicas = replicas;
        Kafka = kafka;
        _app = app;
    }

    public Uri ApiUrl { get; }

    /// <summary>
    /// Cancelled when a started AppHost stops: its console lifetime takes Ctrl+C and SIGTERM for itself, so this is how
    /// the run learns that it was interrupted.
    /// </summary>
    public CancellationToken Stopping => _app?.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping ?? CancellationToken.None;

    public int Replicas { get; }

    /// <summary>The system's Kafka bootstrap servers, which tell its processes apart from other systems' on this machine; null if unknown.</summary>
    public string? Kafka { get; }

    /// <summary>
    /// A system started elsewhere. Its processes are found on this machine if exactly one ReportPoc system runs here;
    /// otherwise replicas and memory stay unknown.
    /// </summary>
    public static SystemUnderTest Running(Uri apiUrl)
    {
        var systems = ServiceMemory.FindProcesses("ReportPoc.Api").Select(ServiceMemory.KafkaOf).Distinct().ToList();
        var kafka = systems.Count == 1 ? systems[0] : null;
        var replicas = kafka is null ? 0 : ServiceMemory.FindProcesses("ReportPoc.Processor", kafka).Count;
        return new SystemUnderTest(apiUrl, replicas, kafka, app: null);
    }

    /// <summary>Starts the real AppHost (as the tests do) with the configuration's overrides and waits until it is ready.</summary>
    /// <param name="dashboard">With the dashboard receiving every service's telemetry, as ./run.sh runs it (the soak watches its memory too).</param>
    public static async Task<SystemUnderTest> StartAsync(SystemConfiguration configuration, CancellationToken cancellationToken, bool dashboard = false)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReportPoc_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard }, configuration.AppHostArgs, timeout.Token);
        // The live progress display owns the terminal; resource logs would tear it apart.
        builder.Services.AddLogging(logging => logging.ClearProviders());

        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }

            await WaitForHealthyReplicasAsync(app, "processor", configuration.Replicas, timeout.Token);
            var kafka = await app.GetConnectionStringAsync("kafka", timeout.Token);
            return new SystemUnderTest(app.GetEndpoint("api", "http"), configuration.Replicas, kafka, app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every replica, not just the first: a burst measured before the second joins would measure one.</summary>
    private static async Task WaitForHealthyReplicasAsync(DistributedApplication app, string resource, int replicas, CancellationToken cancellationToken)
    {
        var healthy = new HashSet<string>();
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == resource && update.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                healthy.Add(update.ResourceId);
            }

            if (healthy.Count >= replicas)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
