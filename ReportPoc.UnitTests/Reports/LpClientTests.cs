using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Polly.CircuitBreaker;
using ReportPoc.Contracts.Lp;
using ReportPoc.Reports;
using ReportPoc.Reports.Lp;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Reports;

/// <summary>
/// What each way an LP call can end means for the report (docs/design.md §6): rejected, unavailable, or a lost queue.
/// The client is the one the Api and the processor resolve — ServiceDefaults, then AddReportWorkflow's own resilience
/// pipeline — with only its socket handler replaced by an in-process LP.
/// </summary>
public sealed class LpClientTests : IDisposable
{
    private readonly List<IHost> _hosts = [];

    private static readonly Guid ReportId = Guid.NewGuid();
    /// <summary>LpClient's own bound on a call; long unless a test is about it (a busy machine must not turn an answer into a timeout).</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public enum Call
    {
        SetQueue,
        LpRun,
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpStatusCode.UnprocessableEntity, LpErrors.Rejected)]
    [InlineData(Call.SetQueue, HttpStatusCode.BadRequest, LpErrors.Invalid)]
    [InlineData(Call.LpRun, HttpStatusCode.UnprocessableEntity, LpErrors.Rejected)]
    [InlineData(Call.LpRun, HttpStatusCode.BadRequest, LpErrors.Invalid)]
    public async Task LpsOwnAnswerRefusingTheReportIsARejection(Call call, HttpStatusCode status, string code)
    {
        var failure = await FailureOf(call, (_, _) => LpAnswer(status, code));

        Assert.Equal(LpFailure.Rejected, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Fact]
    public async Task LpsOwnConflictOnLpRunMeansLpLostTheQueue()
    {
        var failure = await FailureOf(Call.LpRun, (_, _) => LpAnswer(HttpStatusCode.Conflict, LpErrors.UnknownQueue));

        Assert.Equal(LpFailure.UnknownQueue, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Fact]
    public async Task LpsRefusalOfAStaleClaimRanNothing()
    {
        var failure = await FailureOf(Call.LpRun, (_, _) => LpAnswer(HttpStatusCode.Conflict, LpErrors.StaleClaim));

        Assert.Equal(LpFailure.StaleClaim, failure.Failure);
        Assert.False(failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue)]
    [InlineData(Call.LpRun)]
    public async Task LpsOwnAnswerThatItCannotTakeWorkIsUnavailableAndRanNothing(Call call)
    {
        var failure = await FailureOf(call, (_, _) => LpAnswer(HttpStatusCode.ServiceUnavailable, LpErrors.Unavailable));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.False(failure.MayHaveRun); // LP said so: it did not run
    }

    [Theory]
    [InlineData(Call.SetQueue, HttpStatusCode.BadGateway, false)]
    [InlineData(Call.SetQueue, HttpStatusCode.Unauthorized, false)]
    [InlineData(Call.SetQueue, HttpStatusCode.UnprocessableEntity, false)]
    [InlineData(Call.LpRun, HttpStatusCode.BadGateway, true)]
    [InlineData(Call.LpRun, HttpStatusCode.GatewayTimeout, true)]
    [InlineData(Call.LpRun, HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(Call.LpRun, HttpStatusCode.Unauthorized, true)]
    [InlineData(Call.LpRun, HttpStatusCode.Forbidden, true)]
    [InlineData(Call.LpRun, HttpStatusCode.NotFound, true)]
    [InlineData(Call.LpRun, HttpStatusCode.Conflict, true)]
    public async Task AnErrorThatIsNotLpsAnswerProvesNothingAboutTheReport(Call call, HttpStatusCode status, bool mayHaveRun)
    {
        // A gateway's or a proxy's own answer (HTML, or ProblemDetails without LP's error code).
        var failure = await FailureOf(call, (_, _) => Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent($"<html>{(int)status} from the gateway</html>", System.Text.Encoding.UTF8, "text/html"),
        }));

        Assert.Equal(LpFailure.Unavailable, failure.Failure); // never Rejected: LP did not refuse the report
        Assert.Equal(mayHaveRun, failure.MayHaveRun);
    }

    [Theory]
    [InlineData(Call.SetQueue, false)]
    [InlineData(Call.LpRun, true)]
    public async Task ASuccessWhoseBodyIsNotLpsAnswerIsUnavailableAndAnLpRunMayHaveRun(Call call, bool mayHaveRun)
    {
        var failure = await FailureOf(call, (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("<html>login</html>", System.Text.Encoding.UTF8, "application/json"),
        }));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.Equal(mayHaveRun, failure.MayHaveRun);
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
        }, callTimeout: TimeSpan.FromSeconds(1)); // the shortest LpClient:RequestTimeout allowed

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
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.BadGateway, false)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.RequestTimeout, false)]
    public async Task AnLpRunIsSentOnceWhateverItsAnswer(HttpStatusCode status, bool lpsOwnAnswer)
    {
        // A transport retry of LPRUN would be a second run: whether to repeat it is the workflow's call, never the pipeline's.
        var calls = 0;
        var lp = Client((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return lpsOwnAnswer ? LpAnswer(status, LpErrors.Unavailable) : Answer(status);
        }, readRetries: new LpClientOptions().ReadRetries); // reads retried as deployed, so a retry of POST would show

        var failure = await Assert.ThrowsAsync<LpCallException>(() => Send(lp, Call.LpRun, TestContext.Current.CancellationToken));

        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task TheRunLookupIsRetriedByThePipelineUpToLpClientReadRetries()
    {
        var calls = 0;
        var lp = Client((_, _) => Interlocked.Increment(ref calls) == 1
            ? Answer(HttpStatusCode.ServiceUnavailable)
            : Answer(HttpStatusCode.OK, new RunStatus(ReportId, RunState.Completed, "R-1", 3, 1)), readRetries: 1);

        var run = await lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken);

        Assert.Equal((RunState.Completed, 2), (run!.State, calls));
    }

    [Fact]
    public async Task AfterARunOfUnavailableAnswersTheCircuitOpensAndTheNextCallIsNotSent()
    {
        var calls = 0;
        var lp = Client((_, _) =>
        {
            Interlocked.Increment(ref calls);
            return Answer(HttpStatusCode.ServiceUnavailable);
        });

        // The breaker opens at 80 % failures over at least 20 calls (AddReportWorkflow).
        for (var i = 0; i < 20; i++)
        {
            await Assert.ThrowsAsync<LpCallException>(() => Send(lp, Call.SetQueue, TestContext.Current.CancellationToken));
        }

        var failure = await Assert.ThrowsAsync<LpCallException>(() => Send(lp, Call.LpRun, TestContext.Current.CancellationToken));

        Assert.Equal(20, calls);
        Assert.Equal(LpFailure.Unavailable, failure.Failure);
        Assert.False(failure.MayHaveRun); // the open circuit sent nothing
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

        var ticket = await lp.RunAsync(ReportId, "Q-1", 1, TestContext.Current.CancellationToken);

        Assert.Equal(new RunTicket(ReportId, "R-1", 12, false), ticket);
    }

    [Fact]
    public async Task TheRunLookupAnswersNullWhenLpSaysItKnowsNoRun()
    {
        var lp = Client((_, _) => LpAnswer(HttpStatusCode.NotFound, LpErrors.NoRun));

        Assert.Null(await lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AProxysNotFoundOnTheRunLookupIsNotLpSayingNoRun()
    {
        var lp = Client((_, _) => Answer(HttpStatusCode.NotFound));

        var failure = await Assert.ThrowsAsync<LpCallException>(() => lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken));
        Assert.Equal(LpFailure.Unavailable, failure.Failure);
    }

    [Fact]
    public async Task TheRunLookupOfAnUnavailableLpIsUnavailable()
    {
        var lp = Client((_, _) => Answer(HttpStatusCode.ServiceUnavailable));

        var failure = await Assert.ThrowsAsync<LpCallException>(() => lp.FindRunAsync(ReportId, TestContext.Current.CancellationToken));
        Assert.Equal(LpFailure.Unavailable, failure.Failure);
    }

    private async Task<LpCallException> FailureOf(Call call, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> lp,
        TimeSpan? callTimeout = null) =>
        await Assert.ThrowsAsync<LpCallException>(() => Send(Client(lp, callTimeout), call, TestContext.Current.CancellationToken));

    private static Task Send(LpClient lp, Call call, CancellationToken cancellationToken) => call switch
    {
        Call.SetQueue => lp.SetQueueAsync(ReportId, "monthly", cancellationToken),
        _ => lp.RunAsync(ReportId, "Q-1", 1, cancellationToken),
    };

    /// <summary>The client as a service resolves it; reads are not retried unless a test is about it (each retry waits).</summary>
    private LpClient Client(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> lp, TimeSpan? callTimeout = null, int readRetries = 0)
    {
        var timeout = (callTimeout ?? CallTimeout).ToString("c");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:reports"] = "Host=unused", // the workflow's database; no test here reaches it
            ["LpClient:BaseAddress"] = "http://lp.test",
            ["LpClient:RequestTimeout"] = timeout,
            ["LpClient:RunTimeout"] = timeout,
            ["LpClient:ReadRetries"] = readRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.AddServiceDefaults();
        builder.AddReportWorkflow();
        builder.Services.AddHttpClient<LpClient>().ConfigurePrimaryHttpMessageHandler(() => new StubHttpHandler(lp));
        var host = builder.Build();
        _hosts.Add(host);
        return host.Services.GetRequiredService<LpClient>();
    }

    public void Dispose() => _hosts.ForEach(host => host.Dispose());

    private static Task<HttpResponseMessage> LpAnswer(HttpStatusCode status, string code) => Task.FromResult(ScriptedLp.LpError(status, code));

    private static Task<HttpResponseMessage> Answer(HttpStatusCode status, object? body = null) =>
        Task.FromResult(new HttpResponseMessage(status) { Content = body is null ? null : JsonContent.Create(body) });
}
