using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Local mode's Kafka is three brokers with every partition replicated to all three. One broker restarting (down, then
/// back) moves the leadership of its partitions and the processors' group coordinator to another broker, and back on its
/// return; producers and consumers follow through metadata refreshes and NOT_LEADER answers. Reports submitted all the
/// while (with an Idempotency-Key, resent after a 503) are all accepted, all complete, and none is run twice.
/// </summary>
public sealed class BrokerFailoverTests(ReportPocApp system)
{
    private const int Broker = 1;

    [Fact]
    public async Task OneBrokerDownAndBackMovesLeadershipAndNothingIsLostOrRunTwice()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var broker = system.StandInClient(ResourceNames.DevBroker);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = await system.KafkaBootstrapServersAsync() }).Build();
        var before = await system.Lp.StatsAsync();
        Assert.Contains(Broker, LeadersSeenByClients(admin));

        var accepted = new ConcurrentDictionary<Guid, AcceptedReport>();
        var latencies = new ConcurrentBag<(string Phase, TimeSpan Latency)>();
        var phase = "before";
        using var stop = new CancellationTokenSource();
        var submitting = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"failover-{Guid.NewGuid():N}";
                var body = Reports.ValidBody($"Failover {i}", "failover");
                // Resent under the same key until accepted: a 503 promises nothing was accepted, or that a resend names the same report.
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", body, out _, key), CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        latencies.Add((phase, Stopwatch.GetElapsedTime(started)));
                        var report = (await response.Content.ReadFromJsonAsync<AcceptedReport>(CancellationToken.None))!;
                        accepted[report.Id] = report;
                        break;
                    }

                    Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests, $"unexpected {response.StatusCode}");
                    await Task.Delay(200, CancellationToken.None);
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }, cancellation);

        await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
        phase = "broker down";
        (await broker.PostAsync($"/broker/{Broker}/down", null, cancellation)).EnsureSuccessStatusCode();
        try
        {
            // What the clients see: the metadata names other leaders for the partitions the broker led.
            await Eventually.TrueAsync(() => Task.FromResult(!LeadersSeenByClients(admin).Contains(Broker)), TimeSpan.FromSeconds(30));
            var state = await broker.GetFromJsonAsync<JsonElement>("/broker", cancellation);
            Assert.Equal("degraded", state.GetProperty("state").GetString());
            Assert.Equal(3, state.GetProperty("replicationFactor").GetInt32());
            Assert.False(state.GetProperty("minInsyncReplicasEnforced").GetBoolean());
            var acceptedBefore = accepted.Count;
            await Eventually.TrueAsync(() => Task.FromResult(accepted.Count >= acceptedBefore + 20), TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
        }
        finally
        {
            (await broker.PostAsync($"/broker/{Broker}/up", null, CancellationToken.None)).EnsureSuccessStatusCode();
            phase = "broker back";
        }

        await Eventually.TrueAsync(() => Task.FromResult(LeadersSeenByClients(admin).Contains(Broker)), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
        await stop.CancelAsync();
        await submitting;

        Assert.Contains(latencies, latency => latency.Phase == "broker down");
        foreach (var group in latencies.GroupBy(latency => latency.Phase))
        {
            var sorted = group.Select(latency => latency.Latency.TotalMilliseconds).Order().ToList();
            TestContext.Current.TestOutputHelper?.WriteLine($"{group.Key}: {sorted.Count} accepted, 202 latency p50 {sorted[sorted.Count / 2]:F0} ms, max {sorted[^1]:F0} ms");
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        foreach (var report in accepted.Values)
        {
            Assert.Equal(ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(report.StatusUrl, deadline - DateTime.UtcNow)).Status);
            Assert.Equal(1, (await system.Lp.CallsForAsync(report.Id)).RunExecutions);
        }

        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
    }

    private static HashSet<int> LeadersSeenByClients(IAdminClient admin) =>
        [.. admin.GetMetadata(KafkaTopics.Submitted, TimeSpan.FromSeconds(5)).Topics.Single().Partitions.Select(partition => partition.Leader)];
}
