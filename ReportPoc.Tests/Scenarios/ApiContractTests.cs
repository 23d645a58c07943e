using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>The Api's contract under misuse: reused keys, reads without the capability, bursts, a broker that answers too late.</summary>
public sealed class ApiContractTests(ReportPocApp system)
{
    [Fact]
    public async Task TwoReportersUsingTheSameKeyGetTwoReports()
    {
        var key = "shared-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await SubmitSyncAsync(Reports.ValidBody("First", reporterId: "reporter-a"), key);
        using var second = await SubmitSyncAsync(Reports.ValidBody("Second", reporterId: "reporter-b"), key);

        var a = await first.ReadReportAsync();
        var b = await second.ReadReportAsync();
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(("First", "Second"), (a.Title, b.Title));
        Assert.Equal(1, (await system.Lp.LedgerForAsync(a.Id))!.RunExecutions);
        Assert.Equal(1, (await system.Lp.LedgerForAsync(b.Id))!.RunExecutions);
    }

    [Fact]
    public async Task AKeyReusedForOtherContentIs422OnBothPathsOnceTheReportIsStored()
    {
        var key = "reused-" + Guid.NewGuid().ToString("N")[..8];
        using var original = await SubmitSyncAsync(Reports.ValidBody("Original"), key);
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);

        foreach (var path in new[] { "/api/reports/sync", "/api/reports" })
        {
            using var reused = await system.Api.SendAsync(Reports.Submit(path, Reports.ValidBody("Something else"), out _, key), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.True(reused.IsProblemJson());
            Assert.Equal(key, (await reused.ReadJsonAsync()).GetProperty("idempotencyKey").GetString());
        }

        // A true repeat on the async path answers with the same report and sends nothing new: LP ran it once.
        var repeat = await system.Api.SubmitAsyncReportAsync(Reports.ValidBody("Original"), key);
        Assert.Equal((await original.ReadReportAsync()).Id, repeat.Id);
        Assert.Equal(1, (await system.Lp.LedgerForAsync(repeat.Id))!.RunExecutions);
    }

    [Fact]
    public async Task WhenBothSubmissionsOfAReusedKeyAreInFlightTheSecondEndsAsAVisibleConflict()
    {
        var key = "in-flight-" + Guid.NewGuid().ToString("N")[..8];
        // With no processor running, nothing is stored: the Api cannot tell the two apart at accept time.
        await system.ScaleToAsync(0);
        AcceptedReport first, second;
        try
        {
            first = await system.Api.SubmitAsyncReportAsync(Reports.ValidBody("First content"), key);
            second = await system.Api.SubmitAsyncReportAsync(Reports.ValidBody("Second content"), key);
        }
        finally
        {
            await system.ScaleToAsync(1);
        }

        Assert.Equal(first.Id, second.Id);
        var winner = await system.Api.WaitUntilFinishedAsync(first.StatusUrl, TimeSpan.FromMinutes(1));
        Assert.Equal(ReportStatus.Completed, winner.Status);
        Assert.Equal("First content", winner.Title);

        // The second reader sees its own fate, not the first report's result; and its message is dead-lettered as such.
        var loser = await system.Api.WaitUntilFinishedAsync(second.StatusUrl, TimeSpan.FromSeconds(30));
        Assert.Equal(ReportStatus.Conflict, loser.Status);
        Assert.Null(loser.Title);
        Assert.Null(loser.LpRunId);
        var deadLetter = await DeadLetters.FindAsync(await system.KafkaBootstrapServersAsync(), first.Id,
            message => JsonDocument.Parse(message.Value).RootElement.GetProperty("title").GetString() == "Second content");
        Assert.Equal(DeadLetterReasons.IdempotencyConflict, deadLetter.Header(DeadLetterHeaders.Reason));
        Assert.Equal(1, (await system.Lp.LedgerForAsync(first.Id))!.RunExecutions);
    }

    [Fact]
    public async Task AReportIsReadOnlyWithItsStatusUrlsToken()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var sync = await SubmitSyncAsync(Reports.ValidBody(), key: null);
        var report = await sync.ReadReportAsync();
        Assert.NotNull(report.StatusUrl);
        var token = report.StatusUrl.Split("token=")[1];
        var other = await system.Api.SubmitAsyncReportAsync();

        using var withToken = await system.Api.GetAsync(report.StatusUrl, cancellation);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(report.Id, (await withToken.ReadReportAsync()).Id);

        foreach (var url in new[]
        {
            $"/api/reports/{report.Id}",                                      // no token
            $"/api/reports/{report.Id}?token=1.1700000000000.AAAAAAAAAAA.c.forged", // a forged one
            $"/api/reports/{other.Id}?token={token}",                         // another report's
            $"/api/reports/{Guid.NewGuid()}?token={token}",                   // an unknown id
        })
        {
            using var refused = await system.Api.GetAsync(url, cancellation);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.True(refused.IsProblemJson());
        }
    }

    [Fact]
    public async Task LpAdministrationIsNotReachableThroughTheApi()
    {
        foreach (var path in new[] { "/lp/admin/faults", "/lp/stats", "/broker/down" })
        {
            using var response = await system.Api.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task ABurstBeyondTheClientsRateLimitIs429WithRetryAfterOnBothPosts()
    {
        foreach (var path in new[] { "/api/reports", "/api/reports/sync" })
        {
            // More at once than the suite's burst allowance (RateLimiting:Burst in ReportPocApp), with invalid bodies so
            // that nothing admitted does any work: the limiter answers before the body is read.
            var burst = Enumerable.Range(0, ReportPocApp.RateLimitBurst * 2).Select(_ =>
                system.Api.PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken));
            var answers = await Task.WhenAll(burst);
            try
            {
                var limited = answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests).ToList();
                Assert.NotEmpty(limited);
                Assert.All(limited, answer => Assert.NotNull(answer.Headers.RetryAfter));
                Assert.All(limited, answer => Assert.True(answer.IsProblemJson()));
                Assert.All(answers.Except(limited), answer => Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode));
            }
            finally
            {
                answers.ToList().ForEach(answer => answer.Dispose());
            }

            await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken); // let the bucket refill for the next test
        }
    }

    [Fact]
    public async Task ABrokerThatAnswersTooLateGivesAnUnknownOutcomeWithAStatusUrlAndARetryWithTheKeyMakesOneReport()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var key = "late-" + Guid.NewGuid().ToString("N")[..8];
        var body = Reports.ValidBody();
        using var broker = system.StandInClient(ResourceNames.DevBroker);
        // The broker carries out the produce at once but answers after the Api's ack timeout (3 s).
        (await broker.PutAsync("/broker/latency/5000", null, cancellation)).EnsureSuccessStatusCode();
        JsonElement problem;
        try
        {
            using var late = await system.Api.SendAsync(Reports.Submit("/api/reports", body, out _, key), cancellation);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, late.StatusCode);
            Assert.NotNull(late.Headers.RetryAfter);
            problem = await late.ReadJsonAsync();
        }
        finally
        {
            (await broker.PutAsync("/broker/latency/0", null, CancellationToken.None)).EnsureSuccessStatusCode();
        }

        Assert.StartsWith("The outcome is unknown", problem.GetProperty("title").GetString());
        var id = problem.GetProperty("reportId").GetGuid();
        var statusUrl = problem.GetProperty("statusUrl").GetString()!;

        var retried = await system.Api.SubmitAsyncReportAsync(body, key);
        Assert.Equal(id, retried.Id);
        var report = await system.Api.WaitUntilFinishedAsync(statusUrl, TimeSpan.FromMinutes(1), notFoundMeansPending: true);
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(1, (await system.Lp.LedgerForAsync(id))!.RunExecutions);
    }

    private Task<HttpResponseMessage> SubmitSyncAsync(object body, string? key) =>
        system.Api.SendAsync(Reports.Submit("/api/reports/sync", body, out _, key), TestContext.Current.CancellationToken);
}
