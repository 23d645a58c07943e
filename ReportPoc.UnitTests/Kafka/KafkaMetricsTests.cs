using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportPoc.Confluent.Kafka.Instrumentation;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Kafka;

/// <summary>The instruments, under Aspire.Confluent.Kafka's names, and what feeds them.</summary>
public sealed class KafkaMetricsTests
{
    /// <summary>A producer's and a consumer's statistics, shaped as librdkafka's STATISTICS.md documents them (trimmed).</summary>
    private const string ProducerStatistics = """
        { "name": "api#producer-1", "client_id": "api", "type": "producer", "replyq": 3, "msg_cnt": 17, "msg_size": 4096,
          "tx": 120, "tx_bytes": 64000, "rx": 118, "rx_bytes": 9000, "txmsgs": 40, "txmsg_bytes": 52000, "rxmsgs": 0, "rxmsg_bytes": 0,
          "topics": { "reports.submitted": { "partitions": { "0": { "consumer_lag": -1 } } } } }
        """;

    private const string ConsumerStatistics = """
        { "name": "processor#consumer-2", "client_id": "processor", "type": "consumer", "replyq": 5, "msg_cnt": 0, "msg_size": 0,
          "tx": 300, "tx_bytes": 20000, "rx": 299, "rx_bytes": 70000, "txmsgs": 0, "txmsg_bytes": 0, "rxmsgs": 40, "rxmsg_bytes": 51000,
          "topics": {
            "reports.submitted": { "partitions": {
              "0": { "consumer_lag": 4 }, "1": { "consumer_lag": 6 }, "2": { "consumer_lag": -1 }, "-1": { "consumer_lag": 99 } } },
            "reports.submitted.dlq": { "partitions": { "0": { "consumer_lag": 0 } } } } }
        """;

    [Fact]
    public void StatisticsBecomeGaugesCountersAndConsumerLagPerClient()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var measurements = new MeasurementRecorder(services);
        var metrics = new KafkaMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        metrics.RecordStatistics(ProducerStatistics);
        metrics.RecordStatistics(ConsumerStatistics);

        Assert.Equal(17, Latest(measurements, "messaging.kafka.producer.queue.message_count", "api#producer-1"));
        Assert.Equal(4096, Latest(measurements, "messaging.kafka.producer.queue.size", "api#producer-1"));
        Assert.Equal(5, Latest(measurements, "messaging.kafka.consumer.queue.message_count", "processor#consumer-2"));
        Assert.Equal(120, Latest(measurements, "messaging.kafka.network.tx", "api#producer-1"));
        Assert.Equal(64000, Latest(measurements, "messaging.kafka.network.transmitted", "api#producer-1"));
        Assert.Equal(299, Latest(measurements, "messaging.kafka.network.rx", "processor#consumer-2"));
        Assert.Equal(70000, Latest(measurements, "messaging.kafka.network.received", "processor#consumer-2"));
        Assert.Equal(52000, Latest(measurements, "messaging.kafka.message.transmitted", "api#producer-1"));
        Assert.Equal(51000, Latest(measurements, "messaging.kafka.message.received", "processor#consumer-2"));

        // Owned partitions with a known lag only: not librdkafka's "-1" bucket, not "unknown" (-1); producers have none.
        var lag = measurements.Of("messaging.kafka.consumer.lag");
        Assert.All(lag, measurement => Assert.Equal("processor#consumer-2", measurement.Tags["name"]));
        Assert.Equal(10, lag.Last(measurement => (string?)measurement.Tags["messaging.destination.name"] == "reports.submitted").Value);
        Assert.Equal(0, lag.Last(measurement => (string?)measurement.Tags["messaging.destination.name"] == "reports.submitted.dlq").Value);

        // A client's next statistics replace its figures.
        metrics.RecordStatistics(ProducerStatistics.Replace("\"msg_cnt\": 17", "\"msg_cnt\": 2"));
        Assert.Equal(2, Latest(measurements, "messaging.kafka.producer.queue.message_count", "api#producer-1"));
    }

    [Fact]
    public async Task PublishAndReceiveAreCountedAndTimedAndStatisticsArriveFromTheClient()
    {
        using var cluster = new MockCluster();
        var topic = "metrics-" + Guid.NewGuid().ToString("N");
        using var host = Host(cluster, disableMetrics: false);
        using var measurements = new MeasurementRecorder(host.Services);

        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        var delivered = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();
        consumer.Assign(delivered.TopicPartitionOffset);
        while (consumer.Consume(TimeSpan.FromMilliseconds(100)) is not { Message: not null })
        {
        }

        var published = Assert.Single(measurements.Of("messaging.publish.messages"));
        Assert.Equal(1, published.Value);
        Assert.Equal(topic, published.Tags["messaging.destination.name"]);
        Assert.InRange(Assert.Single(measurements.Of("messaging.publish.duration")).Value, 0, 10);
        var received = Assert.Single(measurements.Of("messaging.receive.messages"));
        Assert.Equal("test-group", received.Tags["messaging.consumer.group.name"]);
        Assert.Single(measurements.Of("messaging.receive.duration"));

        // librdkafka's statistics reach the instruments through the handler the integration sets (every 50 ms here).
        await Eventually.TrueAsync(() => measurements.Of("messaging.kafka.network.tx").Any(tx => (string?)tx.Tags["name"] == producer.Name && tx.Value > 0));
    }

    [Fact]
    public async Task DisableMetricsRecordsNothingAndAsksLibrdkafkaForNoStatistics()
    {
        using var cluster = new MockCluster();
        using var host = Host(cluster, disableMetrics: true);
        using var measurements = new MeasurementRecorder(host.Services);

        await host.Services.GetRequiredService<IProducer<string, string>>()
            .ProduceAsync("metrics-" + Guid.NewGuid().ToString("N"), new Message<string, string> { Key = "k", Value = "v" }, TestContext.Current.CancellationToken);

        Assert.Empty(measurements.Of("messaging.publish.messages"));
        Assert.Null(host.Services.GetService<KafkaMetrics>());
    }

    private static IHost Host(MockCluster cluster, bool disableMetrics)
    {
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:kafka", cluster.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", "test-group"),
            ("Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs", "10"),
            ("Aspire:Confluent:Kafka:Producer:Config:StatisticsIntervalMs", disableMetrics ? null : "50"));
        builder.AddKafkaProducer<string, string>("kafka", settings =>
        {
            settings.DisableMetrics = disableMetrics;
            Assert.Equal(disableMetrics ? null : 50, settings.Config.StatisticsIntervalMs);
        });
        builder.AddKafkaConsumer<string, string>("kafka", settings => settings.DisableMetrics = disableMetrics);
        return builder.Build();
    }

    private static double Latest(MeasurementRecorder measurements, string instrument, string client) =>
        measurements.Of(instrument).Last(measurement => (string?)measurement.Tags["name"] == client).Value;
}
