using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ReportPoc.Tests.AppModel;

/// <summary>
/// The real AppHost's app model in one infrastructure mode, built and never started: no DCP, no process, no container
/// runtime. A class fixture, so each mode is built once per test class (seconds) beside the suite's running app.
/// </summary>
public abstract class AppModelFixture(params string[] args) : IAsyncLifetime
{
    private DistributedApplication? _app;

    public DistributedApplicationModel Model { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await BuildAsync(args);
        Model = _app.Services.GetRequiredService<DistributedApplicationModel>();
    }

    public static async Task<DistributedApplication> BuildAsync(string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReportPoc_AppHost>(args, TestContext.Current.CancellationToken);
        return await builder.BuildAsync(TestContext.Current.CancellationToken);
    }

    public IResource Resource(string name) => Assert.Single(Model.Resources, resource => resource.Name == name);

    public T Resource<T>(string name) where T : IResource => Assert.IsType<T>(Resource(name), exactMatch: false);

    /// <summary>A health check the AppHost registered for a resource, created as the orchestrator would create it.</summary>
    public IHealthCheck HealthCheck(string key)
    {
        var registrations = _app!.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        return Assert.Single(registrations, registration => registration.Name == key).Factory(_app.Services);
    }

    /// <summary>
    /// A resource's environment as its manifest states it: references stay symbolic ("{kafka.connectionString}"), so
    /// nothing needs an allocated port or a running resource.
    /// </summary>
    public async Task<Dictionary<string, string>> EnvironmentOf(IResource resource)
    {
        var manifest = new DistributedApplicationExecutionContext(
            new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish) { Services = _app!.Services });
        var configuration = await ExecutionConfigurationBuilder.Create(resource).WithEnvironmentVariablesConfig()
            .BuildAsync(manifest, NullLogger.Instance, TestContext.Current.CancellationToken);
        return configuration.EnvironmentVariables.ToDictionary();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
