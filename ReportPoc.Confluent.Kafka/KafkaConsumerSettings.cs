using Confluent.Kafka;

namespace ReportPoc.Confluent.Kafka;

/// <summary>
/// How a consumer registered with <c>AddKafkaConsumer</c> is set up, as Aspire.Confluent.Kafka's settings of the same
/// name: bound from <c>Aspire:Confluent:Kafka:Consumer</c>, then its <c>:{connectionName}</c> subsection, then
/// <c>ConnectionStrings:{connectionName}</c>, then the <c>configureSettings</c> delegate.
/// </summary>
public sealed class KafkaConsumerSettings : IKafkaClientSettings
{
    /// <summary>The bootstrap servers; when set it replaces <c>Config.BootstrapServers</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The librdkafka configuration, by property name (<c>FetchWaitMaxMs</c>) or by librdkafka key (<c>fetch.wait.max.ms</c>).</summary>
    public ConsumerConfig Config { get; } = new();

    public bool DisableHealthChecks { get; set; }

    public bool DisableMetrics { get; set; }

    public bool DisableTracing { get; set; }

    ClientConfig IKafkaClientSettings.Config => Config;

    void IKafkaClientSettings.Validate()
    {
        KafkaClientSettings.RequireBootstrapServers(Config);
        if (string.IsNullOrEmpty(Config.GroupId))
        {
            throw new InvalidOperationException("The Kafka consumer has no group id (Config.GroupId).");
        }
    }
}
