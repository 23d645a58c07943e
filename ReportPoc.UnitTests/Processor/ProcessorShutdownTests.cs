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
        // A host bound of 2 + 1 + 1.5 + 0.5 s: short for the test, the same parts as 4 + 2 + 1.5 + 0.5 s.
        using var host = BuildProcessor(group, drain: TimeSpan.FromSeconds(2), cancel: TimeSpan.FromSeconds(1));
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

    [Fact]
    public async Task StoppingWhileARebalanceOutlastsTheShutdownBoundStillEndsTheConsumerAndTheHostWithinIt()
    {
        var group = "shutdown-" + Guid.NewGuid().ToString("N");
        await ProduceAsync(1); // the topic, created on first use
        // A host bound of 1 + 0.5 + 1.5 + 0.5 s: leaving waits longer than that while the second member holds the rebalance up.
        var host = BuildProcessor(group, drain: TimeSpan.FromSeconds(1), cancel: TimeSpan.FromSeconds(0.5));
        var consumer = host.Services.GetServices<IHostedService>().OfType<ReportConsumer>().Single();
        var owned = host.Services.GetRequiredService<AssignedPartitions>();
        using var handOver = new ManualResetEventSlim();
        using var members = new CancellationTokenSource();
        try
        {
            await host.StartAsync(Cancellation);
            await Eventually.TrueAsync(() => owned.Partitions.Count > 0, TimeSpan.FromSeconds(30));
            // A second member that hands its partitions over only when told: the rebalance a third member's joining
            // starts waits for it.
            var slow = GroupMember.Join(_kafka.BootstrapServers, group, members.Token, onRevoked: handOver.Wait);
            await Eventually.TrueAsync(() => owned.Partitions.Count > 0 && slow.Assigned, TimeSpan.FromSeconds(30));
            var joining = GroupMember.Join(_kafka.BootstrapServers, group, members.Token);
            await Eventually.TrueAsync(() => slow.Revoking, TimeSpan.FromSeconds(30));

            await host.StopAsync(Cancellation);

            // The fault was met: the rebalance under way when the stop began had not ended when it ended.
            Assert.False(joining.Assigned, "the rebalance ended before the processor had stopped: its leaving waited for nothing");
            Assert.True(consumer.ExecuteTask!.IsCompletedSuccessfully, "the host stopped before the consumer had ended: its leaving outlasted the bound");
            // Disposing the host (and the client whose close is still under way) returns, so the process can exit.
            await Task.Run(host.Dispose, Cancellation).WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
        }
        finally
        {
            handOver.Set();
            members.Cancel();
        }
    }

    private IHost BuildProcessor(string group, TimeSpan drain, TimeSpan cancel)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = _kafka.BootstrapServers,
            ["ConnectionStrings:reports"] = postgres.ConnectionString,
            ["Messaging:ConsumerGroup"] = group,
            ["Processing:DrainTimeout"] = drain.ToString(),
            ["Processing:CancelTimeout"] = cancel.ToString(),
            ["Aspire:Confluent:Kafka:Consumer:Config:PartitionAssignmentStrategy"] = "Range",
            // The processor's session timeout and heartbeat (its appsettings.json), as GroupMember's. With librdkafka's
            // defaults the mock's coordinator held a second member's join for longer than these tests wait.
            ["Aspire:Confluent:Kafka:Consumer:Config:SessionTimeoutMs"] = GroupMember.SessionTimeoutMs.ToString(),
            ["Aspire:Confluent:Kafka:Consumer:Config:HeartbeatIntervalMs"] = GroupMember.HeartbeatIntervalMs.ToString(),
        });
        builder.AddApplicationServices();
        builder.Services.AddHttpClient<LpClient>().ConfigurePrimaryHttpMessageHandler(() => _lp);
        return builder.Build();
    }

    /// <summary>A plain member of the processors' group, polling on a thread of its own until cancelled.</summary>
    private sealed class GroupMember
    {
        public const int SessionTimeoutMs = 10_000;
        public const int HeartbeatIntervalMs = 2_000;

        private volatile bool _assigned;
        private volatile bool _revoking;

        public bool Assigned => _assigned;

        public bool Revoking => _revoking;

        public static GroupMember Join(string bootstrapServers, string group, CancellationToken leave, Action? onRevoked = null)
        {
            var member = new GroupMember();
            var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
                {
                    BootstrapServers = bootstrapServers, GroupId = group, EnableAutoCommit = false,
                    PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range, SessionTimeoutMs = SessionTimeoutMs,
                    HeartbeatIntervalMs = HeartbeatIntervalMs,
                })
                .SetPartitionsAssignedHandler((_, assigned) => member._assigned |= assigned.Count > 0)
                .SetPartitionsRevokedHandler((_, revoked) =>
                {
                    if (revoked.Count > 0)
                    {
                        member._revoking = true;
                        onRevoked?.Invoke();
                    }
                })
                .Build();
            new Thread(() =>
            {
                using (consumer)
                {
                    consumer.Subscribe(KafkaTopics.Submitted);
                    while (!leave.IsCancellationRequested)
                    {
                        consumer.Consume(100);
                    }
                }
            }) { IsBackground = true }.Start();
            return member;
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
