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

    /// <summary>Adds the metrics and tracing the settings leave on, and the meter and source to OpenTelemetry.</summary>
    public static void AddTelemetry(IHostApplicationBuilder builder, IKafkaClientSettings settings)
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

    public static KafkaMetrics? MetricsFor(IServiceProvider services, IKafkaClientSettings settings) =>
        settings.DisableMetrics ? null : services.GetRequiredService<KafkaMetrics>();

    /// <summary>
    /// One health check per name (a second registration under the same name keeps the first), resolved from the
    /// container so that it is built once, reused by every probe and disposed with the container.
    /// </summary>
    public static void AddHealthCheck(IHostApplicationBuilder builder, string name, Func<IServiceProvider, Handle> clientHandle)
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

    /// <summary>
    /// Sets one of the integration's handlers unless the caller's <c>configureBuilder</c> set its own first (the client
    /// builder allows one of each), as Aspire.Confluent.Kafka does.
    /// </summary>
    public static void SetUnlessTaken(Action setHandler, string handler, ILogger logger)
    {
        try
        {
            setHandler();
        }
        catch (InvalidOperationException)
        {
            logger.LogWarning("The Kafka client's {Handler} was set by configureBuilder; the integration's is left out.", handler);
        }
    }

    public static void Log(ILogger logger, LogMessage message) =>
        logger.Log((LogLevel)message.LevelAs(LogLevelType.MicrosoftExtensionsLogging), "{KafkaClient}: {KafkaMessage}", message.Name, message.Message);

    public static void LogError(ILogger logger, string clientName, Error error) =>
        logger.LogWarning("{KafkaClient} error {Code}: {Reason}", clientName, error.Code, error.Reason);
}
