using System.Text;
using Confluent.Kafka;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

public sealed class DeadLetterTests(ReportPocApp system)
{
    [Fact]
    public async Task PoisonMessageIsDeadLetteredAndDoesNotBlockItsPartition()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var bootstrap = await system.KafkaBootstrapServersAsync();
        var key = Guid.NewGuid().ToString();
        int partition;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            var poison = await producer.ProduceAsync(KafkaTopics.Submitted,
                new Message<string, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes("{ this is not a report") }, cancellation);
            partition = poison.Partition.Value;

            // A valid report sent to the same partition right after the poison one must still complete.
            var body = new
            {
                id = Guid.NewGuid(), reporterId = "dlq-test", reportType = "monthly", period = "2026-11",
                title = "After poison", content = "", acceptedAt = DateTimeOffset.UtcNow,
            };
            await producer.ProduceAsync(new TopicPartition(KafkaTopics.Submitted, partition),
                new Message<string, byte[]> { Key = body.id.ToString(), Value = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, System.Text.Json.JsonSerializerOptions.Web) }, cancellation);
            var report = await system.Api.WaitUntilListedAndFinishedAsync(body.id, TimeSpan.FromSeconds(30));
            Assert.Equal(ReportStatus.Completed, report.Status);
        }

        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "dlq-test-" + key,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe(KafkaTopics.DeadLetter);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        ConsumeResult<string, byte[]>? deadLetter = null;
        while (deadLetter is null && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result?.Message.Key == key)
            {
                deadLetter = result;
            }
        }

        consumer.Close();
        Assert.NotNull(deadLetter);
        Assert.Equal(DeadLetterReasons.Poison, deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Contains($"[{partition}]", deadLetter.Header(DeadLetterHeaders.Source));
    }
}
