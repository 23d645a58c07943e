using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Memory;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Hosting;

/// <summary>The system being measured: one the tool started (and stops, and can scale), or one already running at a URL.</summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(2);
    private static readonly string[] Services = [ResourceNames.DevBroker, ResourceNames.Postgres, ResourceNames.LpMock, ResourceNames.Api];

    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly DistributedApplication? _app;

    private SystemUnderTest(Uri apiUrl, int instances, string? kafka, DistributedApplication? app)
    {
        ApiUrl = apiUrl;
        Instances = instances;
        Kafka = kafka;
        _app = app;
    }

    public Uri ApiUrl { get; }

    /// <summary>
    /// Cancelled when a started AppHost stops: its console lifetime takes Ctrl+C and SIGTERM for itself, so this is how
    /// the run learns that it was interrupted.
    /// </summary>
    public CancellationToken Stopping => _app?.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping ?? CancellationToken.None;

    /// <summary>Processor instances running now (0 when a system started elsewhere cannot be told apart).</summary>
    public int Instances { get; private set; }

    /// <summary>Only a system the tool started can be scaled: through its processor pool's dashboard commands.</summary>
    public bool CanScale => _app is not null;

    /// <summary>The system's Kafka bootstrap servers, which tell its processes apart from other systems' on this machine; null if unknown.</summary>
    public string? Kafka { get; }

    /// <summary>
    /// A system started elsewhere. Its processes are found on this machine if exactly one ReportPoc system runs here;
    /// otherwise instances and memory stay unknown.
    /// </summary>
    public static SystemUnderTest Running(Uri apiUrl)
    {
        var systems = ServiceMemory.FindProcesses("ReportPoc.Api").Select(ServiceMemory.KafkaOf).Distinct().ToList();
        var kafka = systems.Count == 1 ? systems[0] : null;
        var instances = kafka is null ? 0 : ServiceMemory.FindProcesses("ReportPoc.Processor", kafka).Count;
        return new SystemUnderTest(apiUrl, instances, kafka, app: null);
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
        if (!dashboard)
        {
            // Aspire hands every service the dashboard's OTLP endpoint even when no dashboard runs. Nothing listening there,
            // each export retries until its 10 s timeout, at shutdown too: a removed processor instance then takes ~11 s
            // to exit, longer than Aspire's stop command waits. No dashboard, so no export.
            foreach (var service in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.CreateResourceBuilder(service).WithEnvironment(context => context.EnvironmentVariables.Remove(OtlpEndpointVariable));
            }
        }

        var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }

            await WaitForAHealthyInstanceAsync(app, timeout.Token);
            var kafka = await app.GetConnectionStringAsync(ResourceNames.Kafka, timeout.Token);
            return new SystemUnderTest(app.GetEndpoint(ResourceNames.Api, "http"), 1, kafka, app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Adds or removes processor instances with the pool's "Add an instance" / "Remove an instance" commands (what a
    /// person presses in the dashboard) until <paramref name="instances"/> run, then waits until the Api sees exactly
    /// those instances sharing every partition, each owned once: a burst measured mid-rebalance would measure less.
    /// </summary>
    public async Task ScaleToAsync(int instances, ReportPocClient client, CancellationToken cancellationToken)
    {
        var app = _app ?? throw new InvalidOperationException("Only a system the tool started can be scaled.");
        while (Instances != instances)
        {
            var command = Instances < instances ? ProcessorPoolResource.AddInstanceCommand : ProcessorPoolResource.RemoveInstanceCommand;
            var result = await app.ResourceCommands.ExecuteCommandAsync(ResourceNames.ProcessorPool, command, cancellationToken);
            if (!result.Success)
            {
                throw new InvalidOperationException($"{ResourceNames.ProcessorPool} {command}: {result.Message}");
            }

            Instances += Instances < instances ? 1 : -1;
        }

        var deadline = DateTime.UtcNow + SettleTimeout;
        while (true)
        {
            var status = await client.GetSystemAsync(cancellationToken);
            var owned = status.Processing?.Instances.SelectMany(instance => instance.Partitions).ToList() ?? [];
            if (status.Processing?.Instances.Count == instances && status.Backlog is { } backlog
                && owned.Count == backlog.Partitions && owned.Distinct().Count() == backlog.Partitions)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{instances} processor instances did not share the partitions within {SettleTimeout}.");
            }

            await Task.Delay(500, cancellationToken);
        }
    }

    /// <summary>Sets a client's path on the compatibility endpoint with the Api's "Clients: set path…" command, as an operator does.</summary>
    public async Task SetClientPathAsync(string clientId, ClientPath path, CancellationToken cancellationToken)
    {
        var app = _app ?? throw new InvalidOperationException("Only a system the tool started can have its clients' paths set.");
        var result = await app.ResourceCommands.ExecuteCommandAsync(ResourceNames.Api, ClientPathCommands.Name,
            new InteractionInputCollection(
            [
                new InteractionInput { Name = ClientPathCommands.ClientArgument, InputType = InputType.Text, Value = clientId },
                new InteractionInput { Name = ClientPathCommands.PathArgument, InputType = InputType.Choice, Value = path.ToString() },
            ]),
            cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{ClientPathCommands.Name} {clientId} {path}: {result.Message}");
        }
    }

    /// <summary>The pool starts one instance with the app; the burst must not start before it can take work.</summary>
    private static async Task WaitForAHealthyInstanceAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == ResourceNames.Processor && update.Snapshot.HealthStatus == HealthStatus.Healthy)
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
