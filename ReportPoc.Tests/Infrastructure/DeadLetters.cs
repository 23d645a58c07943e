using System.Text;
using Confluent.Kafka;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>Reads the dead-letter topic from the beginning, as an operator would.</summary>
public static class DeadLetters
{
    /// <summary>A dead letter's header (<see cref="DeadLetterHeaders"/>) as text.</summary>
    public static string Header(this ConsumeResult<string, byte[]> deadLetter, string name) =>
        Encoding.UTF8.GetString(deadLetter.Message.Headers.GetLastBytes(name));

    public static async Task<ConsumeResult<string, byte[]>> FindAsync(string bootstrapServers, Guid reportId,
        Func<Message<string, byte[]>, bool>? matches = null, TimeSpan? timeout = null)
    {
        return await Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = $"dlq-check-{Guid.NewGuid():N}",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                FetchWaitMaxMs = 10,
            }).Build();
            consumer.Subscribe(KafkaTopics.DeadLetter);
            var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
            try
            {
                while (DateTime.UtcNow < deadline)
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result
                        && result.Message.Key == reportId.ToString() && (matches is null || matches(result.Message)))
                    {
                        return result;
                    }
                }
            }
            finally
            {
                consumer.Close();
            }

            Assert.Fail($"No dead letter for report {reportId} within {timeout ?? TimeSpan.FromSeconds(30)}.");
            return null!;
        }, TestContext.Current.CancellationToken);
    }
}
