using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ReportPoc.UnitTests.Kafka;

/// <summary>The spans the DI-registered clients make by themselves, against librdkafka's in-process mock cluster.</summary>
public sealed class KafkaTracingTests : IDisposable
{
    private readonly MockCluster _cluster = new();
    private readonly SpanRecorder _spans = new();
    private readonly string _topic = "tracing-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ProduceAsyncMakesAPublishSpanAndCarriesItsContextInTheHeaders()
    {
        using var host = Host(disableTracing: false);
        var producer = host.Services.GetRequiredService<IProducer<string, string>>();
        // Headers copied from a message of another trace (as a dead letter copies its source's): replaced, not doubled.
        var message = new Message<string, string>
        {
            Key = "report-1",
            Value = "body",
            Headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01") } },
        };

        using var request = new Activity("request").Start();
        var delivered = await producer.ProduceAsync(_topic, message, TestContext.Current.CancellationToken);
        request.Stop();

        var publish = Assert.Single(_spans.About(_topic));
        Assert.Equal($"publish {_topic}", publish.DisplayName);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(request.SpanId, publish.ParentSpanId);
        Assert.Equal("kafka", publish.GetTagItem("messaging.system"));
        Assert.Equal("send", publish.GetTagItem("messaging.operation.type"));
        Assert.Equal("report-1", publish.GetTagItem("messaging.kafka.message.key"));
        Assert.Equal(delivered.Partition.Value.ToString(), publish.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal(delivered.Offset.Value, publish.GetTagItem("messaging.kafka.offset"));

        var traceParent = Assert.Single(message.Headers, header => header.Key == "traceparent");
        Assert.Equal($"00-{publish.TraceId}-{publish.SpanId}-01", Encoding.UTF8.GetString(traceParent.GetValueBytes()));
    }

    [Fact]
    public async Task ConsumeMakesAReceiveSpanThatLinksToThePublishSpan()
    {
        using var host = Host(disableTracing: false);
        var delivered = await host.Services.GetRequiredService<IProducer<string, string>>()
            .ProduceAsync(_topic, new Message<string, string> { Key = "report-2", Value = "body" }, TestContext.Current.CancellationToken);
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();
        consumer.Assign(delivered.TopicPartitionOffset);

        var received = ConsumeOne(consumer);

        Assert.Equal(delivered.Offset, received.Offset);
        var publish = Assert.Single(_spans.About(_topic), span => span.Kind == ActivityKind.Producer);
        var receive = Assert.Single(_spans.About(_topic), span => span.Kind == ActivityKind.Consumer);
        Assert.Equal($"receive {_topic}", receive.DisplayName);
        // Its own trace, linked to the producer's: the application's process span is the one that continues the trace.
        Assert.NotEqual(publish.TraceId, receive.TraceId);
        Assert.Equal(publish.Context.SpanId, Assert.Single(receive.Links).Context.SpanId);
        Assert.Equal("test-group", receive.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal(delivered.Partition.Value.ToString(), receive.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal(delivered.Offset.Value, receive.GetTagItem("messaging.kafka.offset"));
    }

    [Fact]
    public async Task DisableTracingMakesNoSpansAndPutsNoContextInTheHeaders()
    {
        using var host = Host(disableTracing: true);
        var message = new Message<string, string> { Key = "report-3", Value = "body" };
        var delivered = await host.Services.GetRequiredService<IProducer<string, string>>()
            .ProduceAsync(_topic, message, TestContext.Current.CancellationToken);
        var consumer = host.Services.GetRequiredService<IConsumer<string, string>>();
        consumer.Assign(delivered.TopicPartitionOffset);

        ConsumeOne(consumer);

        Assert.Empty(_spans.About(_topic));
        Assert.DoesNotContain(message.Headers ?? [], header => header.Key == "traceparent");
    }

    private IHost Host(bool disableTracing)
    {
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:kafka", _cluster.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", "test-group"),
            // The mock cluster does not answer a waiting fetch when data arrives.
            ("Aspire:Confluent:Kafka:Consumer:Config:FetchWaitMaxMs", "10"));
        builder.AddKafkaProducer<string, string>("kafka", settings => settings.DisableTracing = disableTracing);
        builder.AddKafkaConsumer<string, string>("kafka", settings => settings.DisableTracing = disableTracing);
        return builder.Build();
    }

    private static ConsumeResult<string, string> ConsumeOne(IConsumer<string, string> consumer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                return result;
            }
        }

        throw new TimeoutException("No message within 10 s.");
    }

    public void Dispose()
    {
        _spans.Dispose();
        _cluster.Dispose();
    }
}
