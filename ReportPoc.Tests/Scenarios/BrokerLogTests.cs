using System.Collections.Concurrent;
using Confluent.Kafka;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Operations;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// No silent loss (docs/design.md, "No silent loss"). Local mode's broker (librdkafka's mock cluster) keeps at most 5 MiB
/// per partition and drops the oldest beyond that, read or not. A backlog past that bound is refused with 503 instead of
/// accepted and dropped; and a message that leaves the log unread all the same (here: put there behind the Api's back)
/// is found by the processors and named, with its report, in /api/system.
/// </summary>
public sealed class BrokerLogTests(ReportPocApp system)
{
    /// <summary>The size: 900 reports of 60 KB (54 MB) against a bound of about 6 × 4.75 MiB. REPORTPOC_BACKLOG_REPORTS overrides it.</summary>
    private static readonly int BacklogReports = int.TryParse(Environment.GetEnvironmentVariable("REPORTPOC_BACKLOG_REPORTS"), out var reports) ? reports : 900;

    private const int LargeContent = 60_000;

    [Fact]
    public async Task ABacklogPastTheDevBrokersBoundIsRefusedWith503AndEveryAcceptedReportCompletes()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var before = await system.Lp.StatsAsync();
        var accepted = new ConcurrentBag<AcceptedReport>();
        var refused = new ConcurrentBag<HttpResponseMessage>();
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, BacklogReports), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation },
                async (i, token) =>
                {
                    while (true)
                    {
                        using var request = Reports.Submit("/api/reports", LargeReport($"backlog-{i}"), out _);
                        var response = await system.Api.SendAsync(request, token);
                        if (response.StatusCode == HttpStatusCode.TooManyRequests)
                        {
                            response.Dispose();
                            await Task.Delay(500, token); // the suite's rate limit, not the broker
                            continue;
                        }

                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            accepted.Add((await response.Content.ReadFromJsonAsync<AcceptedReport>(token))!);
                            response.Dispose();
                        }
                        else
                        {
                            refused.Add(response);
                        }

                        return;
                    }
                });

            // Past the bound: refused honestly (503, a problem that says nothing was accepted, Retry-After), never accepted and dropped.
            Assert.NotEmpty(refused);
            foreach (var response in refused)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(response.IsProblemJson());
                Assert.Contains("nothing was accepted", (await response.ReadJsonAsync()).GetProperty("title").GetString());
                Assert.NotNull(response.Headers.RetryAfter);
            }

            var bound = (await system.Api.SystemAsync()).BrokerLog;
            Assert.NotNull(bound);
            Assert.True(bound.Refused >= refused.Count, $"the system panel counts {bound.Refused} refused, the test saw {refused.Count}");
            TestContext.Current.TestOutputHelper?.WriteLine($"{BacklogReports} reports of {LargeContent} B during an LP outage: {accepted.Count} accepted, " +
                $"{refused.Count} refused with 503; fullest partition {bound.FullestPartitionBytes} of {bound.PartitionLimitBytes} B");
        }
        finally
        {
            await system.Lp.HealAsync();
            foreach (var response in refused)
            {
                response.Dispose();
            }
        }

        // Every accepted report completes: none was dropped from the log.
        Assert.NotEmpty(accepted);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        foreach (var report in accepted)
        {
            var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, deadline - DateTime.UtcNow);
            Assert.Equal(ReportStatus.Completed, finished.Status);
        }

        var lost = (await system.Api.SystemAsync()).Lost;
        Assert.NotNull(lost);
        Assert.DoesNotContain(lost.ReportIds, id => accepted.Any(report => report.Id == id));
        Assert.Equal(before.DuplicateRunExecutions, (await system.Lp.StatsAsync()).DuplicateRunExecutions);
    }

    [Fact]
    public async Task AMessageLostFromTheLogIsFoundAndReportedWithItsReport()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var bootstrap = await system.KafkaBootstrapServersAsync();
        await system.Lp.SetFaultsAsync(new LpFaults(Outage: true));
        List<AcceptedReport> victims = [];
        List<AcceptedReport> triggers = [];
        try
        {
            // The processors meet the outage and pause every partition; what is accepted now waits unread in the log.
            // (An instance pauses once it has met the outage: reports are sent until every instance has.)
            await Eventually.TrueAsync(async () =>
            {
                triggers.Add(await system.Api.SubmitAsyncReportAsync());
                await Task.Delay(200, cancellation);
                return (await system.Api.SystemAsync()).Processing is { Instances.Count: > 0 } processing
                    && processing.Instances.All(instance => instance.PausedFor is not null);
            }, TimeSpan.FromSeconds(60));
            for (var i = 0; i < 12; i++)
            {
                victims.Add(await system.Api.SubmitAsyncReportAsync());
            }

            // Behind the Api's back (its bound sees only what it accepted): more than the mock keeps, on every partition,
            // so the oldest unread messages (the victims) are dropped from the log.
            using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build();
            var perPartition = (int)(6 * 1024 * 1024 / LargeContent);
            for (var partition = 0; partition < ReportPocApp.Partitions; partition++)
            {
                for (var i = 0; i < perPartition; i++)
                {
                    var id = Guid.NewGuid();
                    var request = new SubmitReportRequest("flood", "monthly", "2026-11", "Flood", new string('f', LargeContent));
                    producer.Produce(new TopicPartition(KafkaTopics.Submitted, partition),
                        new Message<string, byte[]> { Key = id.ToString(), Value = ReportSubmitted.From(id, null, request, DateTimeOffset.UtcNow).ToUtf8Json() });
                }
            }

            producer.Flush(cancellation);

            // Found while the partitions are paused, not only once the outage ends: every victim is named.
            LostMessages? lost = null;
            await Eventually.TrueAsync(async () => (lost = (await system.Api.SystemAsync()).Lost) is { } found
                && victims.All(victim => found.ReportIds.Contains(victim.Id)), TimeSpan.FromSeconds(30));
            Assert.NotEmpty(lost!.Gaps);
            Assert.True(lost.Messages >= victims.Count, $"{lost.Messages} lost message(s) for {victims.Count} lost reports");
            TestContext.Current.TestOutputHelper?.WriteLine($"lost: {lost.Messages} message(s) in {lost.Gaps.Count} gap(s), {lost.Reports} report(s) named");
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        // The processors move past the gap and carry on: the backlog drains (nothing stuck at the reset) and no lost report is ever stored.
        await Eventually.TrueAsync(async () => (await system.Api.SystemAsync()).Backlog is { Messages: 0 }, TimeSpan.FromMinutes(3));
        foreach (var victim in victims)
        {
            var view = await system.Api.GetFromJsonAsync<ReportView>(victim.StatusUrl, cancellation);
            Assert.Equal(ReportStatus.Accepted, view!.Status);
        }

        // The reports sent to meet the outage were read before the pause or lost with the victims: each is Completed or named lost, never both.
        var after = (await system.Api.SystemAsync()).Lost!;
        Assert.All(victims, victim => Assert.Contains(victim.Id, after.ReportIds));
        foreach (var trigger in triggers)
        {
            var named = after.ReportIds.Contains(trigger.Id);
            var view = named
                ? await system.Api.GetFromJsonAsync<ReportView>(trigger.StatusUrl, cancellation)
                : await system.Api.WaitUntilFinishedAsync(trigger.StatusUrl, TimeSpan.FromMinutes(2));
            Assert.Equal(named ? ReportStatus.Accepted : ReportStatus.Completed, view!.Status);
        }
    }

    private static object LargeReport(string title) => new
    {
        reporterId = "backlog",
        reportType = "monthly",
        period = "2026-11",
        title,
        content = new string('x', LargeContent),
    };
}
