using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor;
using ReportPoc.Processor.Consuming;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Lp;
using ReportPoc.UnitTests.Kafka;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Processor;

/// <summary>
/// A graceful stop of the processor as its host runs it (docs/design.md §5.6): its own services, against librdkafka's
/// in-process mock cluster, a real PostgreSQL and a scripted LP. What the host has not finished when its StopAsync
/// returns is never done: the process exits then.
/// </summary>
public sealed class ProcessorShutdownTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly MockCluster _kafka = new();
    private readonly ScriptedLp _lp = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StoppingWhileADatabaseCommandHangsLeavesTheGroupAndCommitsWhatFinishedWithinTheHostsBound()
    {
        const int reports = 4;
        var group = "shutdown-" + Guid.NewGuid().ToString("N");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = _kafka.BootstrapServers,
            ["ConnectionStrings:reports"] = postgres.ConnectionString,
            ["Messaging:ConsumerGroup"] = group,
            // A host bound of 2 + 1 + 2 s: short for the test, the same sum as 4 + 2 + 2 s.
            ["Processing:DrainTimeout"] = "00:00:02",
            ["Processing:CancelTimeout"] = "00:00:01",
            ["Aspire:Confluent:Kafka:Consumer:Config:PartitionAssignmentStrategy"] = "Range",
        });
        builder.AddApplicationServices();
        builder.Services.AddHttpClient<LpClient>().ConfigurePrimaryHttpMessageHandler(() => _lp);
        using var host = builder.Build();
        var consumer = host.Services.GetServices<IHostedService>().OfType<ReportConsumer>().Single();

        // Every report's LPRUN is in flight when the stop begins, and ends as it begins: they finish while the host stops.
        _lp.HoldRuns();
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(_lp.ReleaseRuns);
        await host.StartAsync(Cancellation);
        var submitted = await ProduceAsync(reports);
        await Eventually.TrueAsync(() => submitted.All(submission => _lp[submission.Id].RunCalls == 1), TimeSpan.FromSeconds(30));

        // The instance's heartbeat row is locked by another transaction: its UPDATE, and the DELETE a stop makes, hang.
        await using var blocker = new NpgsqlConnection(postgres.ConnectionString);
        await blocker.OpenAsync(Cancellation);
        await Eventually.TrueAsync(async () => await CountAsync(blocker, ThisInstance.Id) == 1);
        await using var hold = await blocker.BeginTransactionAsync(Cancellation);
        await using (var lockRow = new NpgsqlCommand("""SELECT 1 FROM processor_instances WHERE "InstanceId" = @id FOR UPDATE""", blocker, hold))
        {
            lockRow.Parameters.AddWithValue("id", ThisInstance.Id);
            await lockRow.ExecuteScalarAsync(Cancellation);
        }

        try
        {
            await host.StopAsync(Cancellation);

            // The consumer ended before the host gave up on it: it drained, committed and closed (left the group).
            Assert.True(consumer.ExecuteTask!.IsCompletedSuccessfully, "the host stopped before the consumer had committed and left the group");
            Assert.Equal(Enumerable.Repeat(true, reports), submitted.Select(submission => _lp[submission.Id].RunExecutions == 1));
            // What finished while stopping is committed: each partition that got reports has its end committed.
            using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = group }).Build();
            var ends = Partitions().ToDictionary(partition => partition, partition => reader.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value);
            Assert.Equal(reports, ends.Values.Sum());
            var used = ends.Where(end => end.Value > 0).ToList();
            var committed = reader.Committed(used.Select(end => end.Key), TimeSpan.FromSeconds(10));
            Assert.Equal(used.Select(end => (end.Key.Partition.Value, end.Value)),
                used.Select(end => (end.Key.Partition.Value, committed.Single(offset => offset.TopicPartition == end.Key).Offset.Value)));
        }
        finally
        {
            await hold.RollbackAsync(Cancellation);
            // The consumer's thread must end before the host disposes its client.
            await consumer.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
        }
    }

    private async Task<List<ReportSubmitted>> ProduceAsync(int count)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        var submitted = new List<ReportSubmitted>();
        for (var i = 0; i < count; i++)
        {
            var submission = new ReportSubmitted(Guid.CreateVersion7(), null, "shutdown-test", "monthly", "2026-11", $"Shutdown {i}", "C", DateTimeOffset.UtcNow);
            await producer.ProduceAsync(KafkaTopics.Submitted,
                new Message<string, byte[]> { Key = submission.Id.ToString(), Value = submission.ToUtf8Json() }, Cancellation);
            submitted.Add(submission);
        }

        return submitted;
    }

    private List<TopicPartition> Partitions()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        return admin.GetMetadata(KafkaTopics.Submitted, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
            .Select(partition => new TopicPartition(KafkaTopics.Submitted, partition.PartitionId)).ToList();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string instanceId)
    {
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM processor_instances WHERE "InstanceId" = @id""", connection);
        count.Parameters.AddWithValue("id", instanceId);
        return (long)(await count.ExecuteScalarAsync(Cancellation))!;
    }

    public void Dispose() => _kafka.Dispose();
}
