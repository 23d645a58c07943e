using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka;

/// <summary>
/// How a producer registered with <c>AddKafkaProducer</c> is set up, as Aspire.Confluent.Kafka's settings of the same
/// name: bound from <c>Aspire:Confluent:Kafka:Producer</c>, then its <c>:{connectionName}</c> subsection, then
/// <c>ConnectionStrings:{connectionName}</c>, then the <c>configureSettings</c> delegate.
/// </summary>
public sealed class KafkaProducerSettings : IKafkaClientSettings
{
    /// <summary>The bootstrap servers; when set it replaces <c>Config.BootstrapServers</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The librdkafka configuration, by property name (<c>LingerMs</c>) or by librdkafka key (<c>linger.ms</c>).</summary>
    public ProducerConfig Config { get; } = new();

    public bool DisableHealthChecks { get; set; }

    public bool DisableMetrics { get; set; }

    public bool DisableTracing { get; set; }

    ClientConfig IKafkaClientSettings.Config => Config;

    void IKafkaClientSettings.Validate() => KafkaClientSettings.RequireBootstrapServers(Config);
}
