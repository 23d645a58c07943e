using Confluent.Kafka;
using ReportPoc.Confluent.Kafka;
using ReportPoc.Confluent.Kafka.Instrumentation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers <see cref="IConsumer{TKey,TValue}"/> as a singleton (or keyed singleton), with the overloads of
/// Aspire.Confluent.Kafka's AspireKafkaConsumerExtensions: configuration from <c>Aspire:Confluent:Kafka:Consumer</c>
/// (see <see cref="KafkaConsumerSettings"/>; a group id is required), a health check, metrics, client logs in ILogger,
/// and a <c>receive {topic}</c> span per message, linked to the producer's span.
/// </summary>
public static class KafkaConsumerExtensions
{
    private const string SectionName = "Aspire:Confluent:Kafka:Consumer";
    private const string HealthCheckName = "ReportPoc.Confluent.Kafka.Consumer";

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName) =>
        Add<TKey, TValue>(builder, connectionName, serviceKey: null, null, null);

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings) =>
        Add<TKey, TValue>(builder, connectionName, serviceKey: null, configureSettings, null);

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, null, WithoutServices(configureBuilder));

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, null, configureBuilder);

    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings, Action<ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, configureSettings, WithoutServices(configureBuilder));

    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="connectionName">The name of the connection string in <c>ConnectionStrings</c>, and of the subsection of <c>Aspire:Confluent:Kafka:Consumer</c> read over it.</param>
    /// <param name="configureSettings">Changes the settings after configuration is bound.</param>
    /// <param name="configureBuilder">Changes the <see cref="ConsumerBuilder{TKey,TValue}"/> (deserializers, rebalance handlers) before the integration adds its handlers.</param>
    public static void AddKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaConsumerSettings>? configureSettings, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name) =>
        Add<TKey, TValue>(builder, name, Key(name), null, null);

    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaConsumerSettings>? configureSettings) =>
        Add<TKey, TValue>(builder, name, Key(name), configureSettings, null);

    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), null, WithoutServices(configureBuilder));

    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), null, configureBuilder);

    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaConsumerSettings>? configureSettings, Action<ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), configureSettings, WithoutServices(configureBuilder));

    /// <summary>Registers a consumer as a keyed singleton: <paramref name="name"/> is its service key, its connection string's name and its configuration subsection.</summary>
    public static void AddKeyedKafkaConsumer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaConsumerSettings>? configureSettings, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), configureSettings, configureBuilder);

    private static void Add<TKey, TValue>(IHostApplicationBuilder builder, string connectionName, string? serviceKey,
        Action<KafkaConsumerSettings>? configureSettings, Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        KafkaClientRegistration.AddClient<IConsumer<TKey, TValue>, KafkaConsumerSettings>(builder, SectionName, HealthCheckName,
            connectionName, serviceKey, configureSettings, (services, settings, client) =>
            {
                var consumer = new ConsumerBuilder<TKey, TValue>(settings.Config);
                configureBuilder?.Invoke(services, consumer);
                client.SetHandler(() => consumer.SetLogHandler(client.Log), "log handler");
                client.SetHandler(() => consumer.SetErrorHandler(client.LogError), "error handler");
                if (client.Metrics is not null)
                {
                    client.SetHandler(() => consumer.SetStatisticsHandler(client.RecordStatistics), "statistics handler");
                }

                return new InstrumentedConsumer<TKey, TValue>(consumer.Build(), settings.Config.GroupId, client.Tracing, client.Metrics);
            });

    private static string Key(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    private static Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? WithoutServices<TKey, TValue>(Action<ConsumerBuilder<TKey, TValue>>? configureBuilder) =>
        configureBuilder is null ? null : (_, consumer) => configureBuilder(consumer);
}
