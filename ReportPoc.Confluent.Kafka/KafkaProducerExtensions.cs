using Confluent.Kafka;
using ReportPoc.Confluent.Kafka;
using ReportPoc.Confluent.Kafka.Instrumentation;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers <see cref="IProducer{TKey,TValue}"/> as a singleton (or keyed singleton), with the overloads of
/// Aspire.Confluent.Kafka's AspireKafkaProducerExtensions: configuration from <c>Aspire:Confluent:Kafka:Producer</c>
/// (see <see cref="KafkaProducerSettings"/>), a health check, metrics, client logs in ILogger, and a
/// <c>publish {topic}</c> span per message with its trace context in the headers.
/// </summary>
public static class KafkaProducerExtensions
{
    private const string SectionName = "Aspire:Confluent:Kafka:Producer";
    private const string HealthCheckName = "ReportPoc.Confluent.Kafka.Producer";

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName) =>
        Add<TKey, TValue>(builder, connectionName, serviceKey: null, null, null);

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings) =>
        Add<TKey, TValue>(builder, connectionName, serviceKey: null, configureSettings, null);

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, null, WithoutServices(configureBuilder));

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, null, configureBuilder);

    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings, Action<ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, configureSettings, WithoutServices(configureBuilder));

    /// <param name="builder">The builder to read configuration from and add services to.</param>
    /// <param name="connectionName">The name of the connection string in <c>ConnectionStrings</c>, and of the subsection of <c>Aspire:Confluent:Kafka:Producer</c> read over it.</param>
    /// <param name="configureSettings">Changes the settings after configuration is bound.</param>
    /// <param name="configureBuilder">Changes the <see cref="ProducerBuilder{TKey,TValue}"/> (serializers, handlers) before the integration adds its handlers.</param>
    public static void AddKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string connectionName,
        Action<KafkaProducerSettings>? configureSettings, Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, connectionName, serviceKey: null, configureSettings, configureBuilder);

    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name) =>
        Add<TKey, TValue>(builder, name, Key(name), null, null);

    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaProducerSettings>? configureSettings) =>
        Add<TKey, TValue>(builder, name, Key(name), configureSettings, null);

    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), null, WithoutServices(configureBuilder));

    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), null, configureBuilder);

    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaProducerSettings>? configureSettings, Action<ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), configureSettings, WithoutServices(configureBuilder));

    /// <summary>Registers a producer as a keyed singleton: <paramref name="name"/> is its service key, its connection string's name and its configuration subsection.</summary>
    public static void AddKeyedKafkaProducer<TKey, TValue>(this IHostApplicationBuilder builder, string name,
        Action<KafkaProducerSettings>? configureSettings, Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        Add(builder, name, Key(name), configureSettings, configureBuilder);

    private static void Add<TKey, TValue>(IHostApplicationBuilder builder, string connectionName, string? serviceKey,
        Action<KafkaProducerSettings>? configureSettings, Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        KafkaClientRegistration.AddClient<IProducer<TKey, TValue>, KafkaProducerSettings>(builder, SectionName, HealthCheckName,
            connectionName, serviceKey, configureSettings, (services, settings, client) =>
            {
                var producer = new ProducerBuilder<TKey, TValue>(settings.Config);
                configureBuilder?.Invoke(services, producer);
                client.SetHandler(() => producer.SetLogHandler(client.Log), "log handler");
                client.SetHandler(() => producer.SetErrorHandler(client.LogError), "error handler");
                if (client.Metrics is not null)
                {
                    client.SetHandler(() => producer.SetStatisticsHandler(client.RecordStatistics), "statistics handler");
                }

                return new InstrumentedProducer<TKey, TValue>(producer.Build(), client.Tracing, client.Metrics);
            });

    private static string Key(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    private static Action<IServiceProvider, ProducerBuilder<TKey, TValue>>? WithoutServices<TKey, TValue>(Action<ProducerBuilder<TKey, TValue>>? configureBuilder) =>
        configureBuilder is null ? null : (_, producer) => configureBuilder(producer);
}
