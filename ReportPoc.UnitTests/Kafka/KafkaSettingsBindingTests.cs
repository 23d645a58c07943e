using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReportPoc.Confluent.Kafka;

namespace ReportPoc.UnitTests.Kafka;

/// <summary>Where a client's settings come from, in Aspire.Confluent.Kafka's order.</summary>
public sealed class KafkaSettingsBindingTests
{
    [Fact]
    public void TheConnectionsSubsectionIsReadOverTheSectionWithPropertyNamesAndLibrdkafkaKeys()
    {
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:kafka", "broker:9092"),
            ("Aspire:Confluent:Kafka:Producer:DisableHealthChecks", "true"),
            ("Aspire:Confluent:Kafka:Producer:Config:Acks", "Leader"),
            ("Aspire:Confluent:Kafka:Producer:Config:LingerMs", "5"),
            ("Aspire:Confluent:Kafka:Producer:Config:queue.buffering.max.messages", "123"),
            ("Aspire:Confluent:Kafka:Producer:kafka:Config:LingerMs", "7"),
            ("Aspire:Confluent:Kafka:Producer:other:Config:LingerMs", "9"));

        KafkaProducerSettings? settings = null;
        builder.AddKafkaProducer<string, string>("kafka", bound => settings = bound);

        Assert.NotNull(settings);
        Assert.Equal("broker:9092", settings.Config.BootstrapServers);
        Assert.Equal(Acks.Leader, settings.Config.Acks);
        Assert.Equal(7, settings.Config.LingerMs);
        Assert.Equal(123, settings.Config.QueueBufferingMaxMessages);
        Assert.True(settings.DisableHealthChecks);
        Assert.False(settings.DisableMetrics);
        // Metrics are on, so librdkafka is asked for the statistics they are made from.
        Assert.Equal(1_000, settings.Config.StatisticsIntervalMs);
    }

    [Fact]
    public void TheConnectionStringBeatsTheSectionAndTheDelegateBeatsBoth()
    {
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:kafka", "from-connection-strings:1"),
            ("Aspire:Confluent:Kafka:Consumer:ConnectionString", "from-section:2"),
            ("Aspire:Confluent:Kafka:Consumer:Config:BootstrapServers", "from-config:3"));

        string? seenByDelegate = null;
        KafkaConsumerSettings? settings = null;
        builder.AddKafkaConsumer<string, string>("kafka", bound =>
        {
            seenByDelegate = bound.ConnectionString;
            bound.ConnectionString = "from-code:4";
            settings = bound;
        });

        Assert.Equal("from-connection-strings:1", seenByDelegate);
        Assert.Equal("from-code:4", settings!.Config.BootstrapServers);
    }

    [Fact]
    public void WithoutAConnectionStringTheSectionsConnectionStringIsUsed()
    {
        var builder = KafkaTestHost.Builder(("Aspire:Confluent:Kafka:Consumer:ConnectionString", "from-section:2"));

        KafkaConsumerSettings? settings = null;
        builder.AddKafkaConsumer<string, string>("kafka", bound => settings = bound);

        Assert.Equal("from-section:2", settings!.Config.BootstrapServers);
    }

    [Fact]
    public void AConsumerWithoutAGroupIdOrAProducerWithoutServersFailsWhenResolved()
    {
        var builder = KafkaTestHost.Builder(("ConnectionStrings:kafka", "127.0.0.1:1"));
        builder.AddKafkaConsumer<string, string>("kafka");
        builder.AddKafkaProducer<string, string>("elsewhere");
        using var host = builder.Build();

        var noGroup = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IConsumer<string, string>>());
        Assert.Contains("group id", noGroup.Message);
        var noServers = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IProducer<string, string>>());
        Assert.Contains("bootstrap servers", noServers.Message);
    }

    [Fact]
    public void KeyedClientsHaveTheirOwnConnectionSubsectionAndHealthCheck()
    {
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:orders", "127.0.0.1:1"),
            ("ConnectionStrings:audit", "127.0.0.1:2"),
            ("Aspire:Confluent:Kafka:Producer:Config:ClientId", "shared"),
            ("Aspire:Confluent:Kafka:Producer:orders:Config:ClientId", "orders-client"));
        builder.AddKeyedKafkaProducer<string, string>("orders");
        builder.AddKeyedKafkaProducer<string, string>("audit");
        using var host = builder.Build();

        var orders = host.Services.GetRequiredKeyedService<IProducer<string, string>>("orders");
        var audit = host.Services.GetRequiredKeyedService<IProducer<string, string>>("audit");

        Assert.StartsWith("orders-client#", orders.Name);
        Assert.StartsWith("shared#", audit.Name);
        Assert.Null(host.Services.GetService<IProducer<string, string>>());
        var healthChecks = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(check => check.Name);
        Assert.Equal(["ReportPoc.Confluent.Kafka.Producer_orders", "ReportPoc.Confluent.Kafka.Producer_audit"], healthChecks);
    }
}
