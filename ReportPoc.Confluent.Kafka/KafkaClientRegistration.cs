using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ReportPoc.Confluent.Kafka.Health;
using ReportPoc.Confluent.Kafka.Instrumentation;

namespace ReportPoc.Confluent.Kafka;

/// <summary>What registering a producer and registering a consumer have in common.</summary>
internal static class KafkaClientRegistration
{
    public const string LogCategory = "ReportPoc.Confluent.Kafka";

    /// <summary>
    /// Binds the settings and registers the client (keyed when <paramref name="serviceKey"/> is set), its telemetry and its
    /// health check; <paramref name="build"/> makes the client when it is first resolved.
    /// </summary>
    public static void AddClient<TClient, TSettings>(IHostApplicationBuilder builder, string sectionName, string healthCheckName,
        string connectionName, string? serviceKey, Action<TSettings>? configureSettings, Func<IServiceProvider, TSettings, ClientServices, TClient> build)
        where TClient : class, IClient
        where TSettings : IKafkaClientSettings, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = KafkaClientSettings.Bind(builder.Configuration, sectionName, connectionName, configureSettings);
        AddTelemetry(builder, settings);
        builder.Services.AddKeyedSingleton<TClient>(serviceKey, (services, _) =>
        {
            settings.Validate();
            return build(services, settings, new ClientServices(services, settings));
        });

        if (!settings.DisableHealthChecks)
        {
            AddHealthCheck(builder, serviceKey is null ? healthCheckName : $"{healthCheckName}_{serviceKey}",
                services => services.GetRequiredKeyedService<TClient>(serviceKey).Handle);
        }
    }

    /// <summary>Adds the metrics and tracing the settings leave on, and the meter and source to OpenTelemetry.</summary>
    private static void AddTelemetry(IHostApplicationBuilder builder, IKafkaClientSettings settings)
    {
        if (!settings.DisableMetrics)
        {
            builder.Services.TryAddSingleton<KafkaMetrics>();
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(KafkaTelemetry.Name));
        }

        if (!settings.DisableTracing)
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(KafkaTelemetry.Name));
        }
    }

    /// <summary>
    /// One health check per name (a second registration under the same name keeps the first), resolved from the
    /// container so that it is built once, reused by every probe and disposed with the container.
    /// </summary>
    private static void AddHealthCheck(IHostApplicationBuilder builder, string name, Func<IServiceProvider, Handle> clientHandle)
    {
        builder.Services.TryAddKeyedSingleton(name, (services, _) => new KafkaHealthCheck(clientHandle(services)));
        builder.Services.AddHealthChecks();
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.All(registration => registration.Name != name))
            {
                options.Registrations.Add(new HealthCheckRegistration(name,
                    services => services.GetRequiredKeyedService<KafkaHealthCheck>(name), failureStatus: null, tags: null));
            }
        });
    }
}

/// <summary>What a client builder gets from the integration: its handlers, and whether tracing and metrics are on.</summary>
internal sealed class ClientServices(IServiceProvider services, IKafkaClientSettings settings)
{
    private readonly ILogger _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(KafkaClientRegistration.LogCategory);

    public bool Tracing { get; } = !settings.DisableTracing;

    public KafkaMetrics? Metrics { get; } = settings.DisableMetrics ? null : services.GetRequiredService<KafkaMetrics>();

    /// <summary>
    /// Sets one of the integration's handlers unless the caller's <c>configureBuilder</c> set its own first (the client
    /// builder allows one of each), as Aspire.Confluent.Kafka does.
    /// </summary>
    public void SetHandler(Action setHandler, string handler)
    {
        try
        {
            setHandler();
        }
        catch (InvalidOperationException)
        {
            _logger.LogWarning("The Kafka client's {Handler} was set by configureBuilder; the integration's is left out.", handler);
        }
    }

    public void Log(IClient client, LogMessage message) =>
        _logger.Log((LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{KafkaClient}: {KafkaMessage}", message.Name, message.Message);

    public void LogError(IClient client, Error error) =>
        _logger.LogWarning("{KafkaClient} error {Code}: {Reason}", client.Name, error.Code, error.Reason);

    public void RecordStatistics(IClient client, string json) => Metrics?.RecordStatistics(json);
}
