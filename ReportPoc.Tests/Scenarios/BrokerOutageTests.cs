using System.Diagnostics;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Operations;
using ReportPoc.Tests.Infrastructure;
using Xunit.Sdk;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Broker outages cost the async path its 202s while they last, never the Api itself: several down/up cycles with the
/// backlog probe (GET /api/system, which reads the processors' committed offsets) in use during and after each one.
/// Reading those offsets through librdkafka's admin API (ListConsumerGroupOffsets) made the Api abort inside librdkafka
/// on the outage after the first; see BacklogProbe.
/// </summary>
public sealed class BrokerOutageTests(ReportPocApp system)
{
    private const int Outages = 3;

    /// <summary>A live Api answers within the ack timeout (3 s) or the probe's (3 s per Kafka call); silence this long means it is gone.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Reconnecting after an outage is librdkafka's backoff (at most reconnect.backoff.max.ms, 10 s) plus a metadata round.</summary>
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheApiSurvivesRepeatedBrokerOutagesAndShowsTheBacklogAfterEachOne()
    {
        using var broker = system.StandInClient(ResourceNames.DevBroker);
        var backlogSeenAfter = new List<bool>();
        for (var outage = 1; outage <= Outages; outage++)
        {
            (await broker.PostAsync("/broker/down", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
            try
            {
                // The outage is met: the async path refuses, and the probe cannot read Kafka.
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await SubmitAsync(outage));
                Assert.Null((await SystemAsync(outage)).Backlog);
            }
            finally
            {
                (await broker.PostAsync("/broker/up", null, CancellationToken.None)).EnsureSuccessStatusCode();
            }

            var recovery = Stopwatch.StartNew();
            Assert.True(await UntilAsync(async () => await SubmitAsync(outage) == HttpStatusCode.Accepted),
                $"No 202 within {RecoveryTimeout} after outage {outage}.");
            var accepted = recovery.Elapsed;
            backlogSeenAfter.Add(await UntilAsync(async () => (await SystemAsync(outage)).Backlog is not null));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"outage {outage}: first 202 after {accepted.TotalMilliseconds:F0} ms, backlog {(backlogSeenAfter[^1] ? "seen" : "not seen")} after {recovery.Elapsed.TotalMilliseconds:F0} ms");
        }

        // Asserted last, so that a probe that cannot see the backlog still leaves the next outage to show what it costs.
        Assert.All(backlogSeenAfter.Select((seen, index) => (Outage: index + 1, Seen: seen)),
            after => Assert.True(after.Seen, $"/api/system showed no Kafka backlog within {RecoveryTimeout} after outage {after.Outage}."));
    }

    private async Task<HttpStatusCode> SubmitAsync(int outage) =>
        await AnsweredAsync(outage, async cancellation =>
        {
            using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
            return response.StatusCode;
        });

    private async Task<SystemStatus> SystemAsync(int outage) =>
        await AnsweredAsync(outage, async cancellation => (await system.Api.GetFromJsonAsync<SystemStatus>("/api/system", cancellation))!);

    /// <summary>Fails the test, saying so, when the Api does not answer at all (a dead Api's proxy accepts and then hangs or hangs up).</summary>
    private static async Task<T> AnsweredAsync<T>(int outage, Func<CancellationToken, Task<T>> request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            return await request(timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException
            || exception is OperationCanceledException && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw FailException.ForFailure($"The Api did not answer around outage {outage}: {exception.GetType().Name}: {exception.Message}");
        }
    }

    private static async Task<bool> UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        do
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        return false;
    }
}
