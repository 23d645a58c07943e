using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using ReportPoc.ServiceDefaults.Kafka;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Kafka client registration in the shape of Aspire's Confluent.Kafka integration (not in our NuGet feed):
/// bootstrap servers from the <c>ConnectionStrings:{name}</c> the AppHost injects, librdkafka properties from
/// the configuration section <c>Kafka:Producer</c> / <c>Kafka:Consumer</c> (keys are librdkafka names, e.g.
/// <c>Kafka__Consumer__fetch.wait.max.ms</c>), a health check, statistics as metrics and client logs in ILogger.
/// </summary>
public static class KafkaClientExtensions
{
    private const int DefaultStatisticsIntervalMs = 5_000;
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(3);

    public static IHostApplicationBuilder AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig(ReadClientProperties(builder.Configuration, connectionName, "Kafka:Producer"));
        configure?.Invoke(config);

        builder.Services.AddSingleton<KafkaStatisticsMetrics>();
        builder.Services.AddSingleton<IProducer<TKey, TValue>>(services =>
        {
            var statistics = services.GetRequiredService<KafkaStatisticsMetrics>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka.Producer");
            return new ProducerBuilder<TKey, TValue>(config)
                .SetStatisticsHandler((_, json) => statistics.Record(json))
                .SetLogHandler((_, message) => logger.Log(ToLogLevel(message.Level), "{KafkaClient}: {KafkaMessage}", message.Name, message.Message))
                .SetErrorHandler((_, error) => logger.LogWarning("Kafka producer error {Code}: {Reason}", error.Code, error.Reason))
                .Build();
        });

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"kafka-producer-{connectionName}",
            services => new KafkaHealthCheck(services.GetRequiredService<IProducer<TKey, TValue>>().Handle, HealthCheckTimeout),
            failureStatus: null, tags: ["ready"]));

        return builder;
    }

    /// <param name="configureBuilder">Adds handlers (e.g. partition assignment/revocation) before the consumer is built.</param>
    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder, string connectionName,
        Action<ConsumerConfig>? configure = null,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var config = new ConsumerConfig(ReadClientProperties(builder.Configuration, connectionName, "Kafka:Consumer"));
        configure?.Invoke(config);

        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<KafkaStatisticsMetrics>();
        builder.Services.AddSingleton<IConsumer<TKey, TValue>>(services =>
        {
            var statistics = services.GetRequiredService<KafkaStatisticsMetrics>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Confluent.Kafka.Consumer");
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(config)
                .SetStatisticsHandler((_, json) => statistics.Record(json))
                .SetLogHandler((_, message) => logger.Log(ToLogLevel(message.Level), "{KafkaClient}: {KafkaMessage}", message.Name, message.Message))
                .SetErrorHandler((_, error) => logger.LogWarning("Kafka consumer error {Code}: {Reason}", error.Code, error.Reason));
            configureBuilder?.Invoke(services, consumerBuilder);
            return consumerBuilder.Build();
        });

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration($"kafka-consumer-{connectionName}",
            services => new KafkaHealthCheck(services.GetRequiredService<IConsumer<TKey, TValue>>().Handle, HealthCheckTimeout),
            failureStatus: null, tags: ["ready"]));

        return builder;
    }

    private static Dictionary<string, string> ReadClientProperties(IConfiguration configuration, string connectionName, string sectionName)
    {
        var bootstrapServers = configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException(
                $"Kafka connection string 'ConnectionStrings:{connectionName}' is missing. Run the service through ReportPoc.AppHost, or set it.");

        var properties = configuration.GetSection(sectionName).GetChildren()
            .Where(setting => setting.Value is not null)
            .ToDictionary(setting => setting.Key, setting => setting.Value!);
        properties["bootstrap.servers"] = bootstrapServers;
        properties.TryAdd("statistics.interval.ms", DefaultStatisticsIntervalMs.ToString());
        return properties;
    }

    private static LogLevel ToLogLevel(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };
}
