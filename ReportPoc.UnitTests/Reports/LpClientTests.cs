using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using ReportPoc.Contracts.Lp;
using ReportPoc.Reports.Lp;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Reports;

/// <summary>What each way an LP call can end means for the report (docs/design.md §6): rejected, unavailable, or a lost queue.</summary>
public sealed class LpClientTests
{
    private static readonly Guid ReportId = Guid.NewGuid();
    /// <summary>LpClient's own bound on a call; long unless a test is about it (a busy machine must not turn an answer into a timeout).</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public enum Call
    {
        SetQueue,
        LpRun,
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpStatusCode.UnprocessableEntity)]
    [InlineData(Call.SetQueue, HttpStatusCode.BadRequest)]
    [InlineData(Call.LpRun, HttpStatusCode.UnprocessableEntity)]
    [InlineData(Call.LpRun, HttpStatusCode.BadRequest)]
    public async Task AnAnswerRefusingTheReportIsARejection(Call call, HttpStatusCode status)
    {
        var failure = await FailureOf(call, (_, _) => Answer(status));

        Assert.Equal(LpFailure.Rejected, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Fact]
    public async Task AConflictOnLpRunMeansLpLostTheQueue()
    {
        var failure = await FailureOf(Call.LpRun, (_, _) => Answer(HttpStatusCode.Conflict));

        Assert.Equal(LpFailure.UnknownQueue, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpStatusCode.ServiceUnavailable)]
    [InlineData(Call.SetQueue, HttpStatusCode.InternalServerError)]
    [InlineData(Call.SetQueue, HttpStatusCode.TooManyRequests)]
    [InlineData(Call.SetQueue, HttpStatusCode.RequestTimeout)]
    [InlineData(Call.LpRun, HttpStatusCode.ServiceUnavailable)]
    [InlineData(Call.LpRun, HttpStatusCode.InternalServerError)]
    [InlineData(Call.LpRun, HttpStatusCode.TooManyRequests)]
    [InlineData(Call.LpRun, HttpStatusCode.RequestTimeout)]
    public async Task AnAnswerThatLpCannotTakeWorkIsUnavailableAndRanNothing(Call call, HttpStatusCode status)
    {
        var failure = await FailureOf(call, (_, _) => Answer(status));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.False(failure.MayHaveRun); // LP answered: it did not run
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpRequestError.ConnectionError)]
    [InlineData(Call.SetQueue, HttpRequestError.NameResolutionError)]
    [InlineData(Call.LpRun, HttpRequestError.ConnectionError)]
    [InlineData(Call.LpRun, HttpRequestError.NameResolutionError)]
    public async Task AConnectionNeverMadeIsUnavailableAndRanNothing(Call call, HttpRequestError error)
    {
        var failure = await FailureOf(call, (_, _) => throw new HttpRequestException(error, "Connection refused (lp:80)"));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue, false)]
    [InlineData(Call.LpRun, true)]
    public async Task NoAnswerInTimeIsUnavailableAndAnLpRunMayHaveRun(Call call, bool mayHaveRun)
    {
        var sent = false;
        var failure = await FailureOf(call, async (_, token) =>
        {
            sent = true;
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        }, callTimeout: TimeSpan.FromMilliseconds(200));

        Assert.True(sent);
        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.Equal(mayHaveRun, failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpRequestError.ResponseEnded, false)]
    [InlineData(Call.SetQueue, HttpRequestError.Unknown, false)]
    [InlineData(Call.LpRun, HttpRequestError.ResponseEnded, true)]
    [InlineData(Call.LpRun, HttpRequestError.Unknown, true)]
    [InlineData(Call.LpRun, HttpRequestError.InvalidResponse, true)]
    public async Task AConnectionBrokenAfterSendingIsUnavailableAndAnLpRunMayHaveRun(Call call, HttpRequestError error, bool mayHaveRun)
    {
        var failure = await FailureOf(call, (_, _) => throw new HttpRequestException(error, "The response ended prematurely.", new IOException("Connection reset by peer")));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.Equal(mayHaveRun, failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue)]
    [InlineData(Call.LpRun)]
    public async Task AnOpenCircuitIsUnavailableAndRanNothing(Call call)
    {
        var failure = await FailureOf(call, (_, _) => throw new BrokenCircuitException("open"));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue)]
    [InlineData(Call.LpRun)]
    public async Task TheCallersCancellationIsACancellationNotAnLpFailure(Call call)
    {
        using var caller = new CancellationTokenSource();
        var lp = Client(async (_, token) =>
        {
            await caller.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Send(lp, call, caller.Token));
    }

    [Fact]
    public async Task AnLpRunAnswerIsRead()
    {
        var lp = Client((_, _) => Answer(HttpStatusCode.OK, new RunTicket(ReportId, "R-1", 12, Duplicate: false)));

        var ticket = await lp.RunAsync(ReportId, "Q-1", TestContext.Current.CancellationToken);

        Assert.Equal(new RunTicket(ReportId, "R-1", 12, false), ticket);
    }

    [Fact]
    public async Task TheRunLookupAnswersNullWhenLpKnowsNoRun()
    {
        var lp = Client((_, _) => Answer(HttpStatusCode.NotFound));

        Assert.Null(await lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TheRunLookupOfAnUnavailableLpIsUnavailable()
    {
        var lp = Client((_, _) => Answer(HttpStatusCode.ServiceUnavailable));

        var failure = await Assert.ThrowsAsync<LpCallException>(() => lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken));
        Assert.Equal(LpFailure.Unavailable, failure.Failure);
    }

    private static async Task<LpCallException> FailureOf(Call call, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> lp,
        TimeSpan? callTimeout = null) =>
        await Assert.ThrowsAsync<LpCallException>(() => Send(Client(lp, callTimeout), call, TestContext.Current.CancellationToken));

    private static Task Send(LpClient lp, Call call, CancellationToken cancellationToken) => call switch
    {
        Call.SetQueue => lp.SetQueueAsync(ReportId, "monthly", cancellationToken),
        _ => lp.RunAsync(ReportId, "Q-1", cancellationToken),
    };

    private static LpClient Client(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> lp, TimeSpan? callTimeout = null) =>
        new(new HttpClient(new StubHttpHandler(lp)) { BaseAddress = new Uri("http://lp.test") },
            Options.Create(new LpClientOptions { RequestTimeout = callTimeout ?? CallTimeout, RunTimeout = callTimeout ?? CallTimeout }));

    private static Task<HttpResponseMessage> Answer(HttpStatusCode status, object? body = null) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = body is null ? null : JsonContent.Create(body) });
}
