using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Reports.Lp;

/// <summary>What an LP failure says about LP and about the report.</summary>
public enum LpFailure
{
    /// <summary>LP did not take the call: unreachable, timed out, 5xx/408/429, or the client's circuit is open. Not the report's fault.</summary>
    Unavailable,

    /// <summary>LP answered and refused the report itself (a 4xx naming it). Only this counts as a failed attempt.</summary>
    Rejected,

    /// <summary>LP does not know the queue the report was given (409): it lost its state; queue the report again.</summary>
    UnknownQueue,
}

public sealed class LpCallException(string operation, LpFailure failure, string message, bool mayHaveRun = false, Exception? inner = null)
    : Exception($"LP {operation} failed: {message}", inner)
{
    public LpFailure Failure { get; } = failure;

    /// <summary>An LPRUN that got no answer may be running in LP: only LP's lookup can tell, never a second LPRUN.</summary>
    public bool MayHaveRun { get; } = mayHaveRun;
}

/// <summary>Typed client for the LP reporting system (LpMock here): setQueue, LPRUN, the run lookup and the status probe.</summary>
public sealed class LpClient(HttpClient http, IOptions<LpClientOptions> options)
{
    private readonly LpClientOptions _options = options.Value;

    public Task<QueueTicket> SetQueueAsync(Guid reportId, string reportType, CancellationToken cancellationToken) =>
        SendAsync<QueueTicket>("setQueue", _options.RequestTimeout,
            token => http.PostAsJsonAsync("/lp/set-queue", new SetQueueRequest(reportId, reportType), token), cancellationToken)!;

    public Task<RunTicket> RunAsync(Guid reportId, string queueId, CancellationToken cancellationToken) =>
        SendAsync<RunTicket>("LPRUN", _options.RunTimeout,
            token => http.PostAsJsonAsync("/lp/run", new RunRequest(reportId, queueId), token), cancellationToken, isLpRun: true)!;

    /// <summary>The report's latest LPRUN as LP knows it, without starting one; null when LP has none.</summary>
    public Task<RunStatus?> FindRunAsync(Guid reportId, CancellationToken cancellationToken) =>
        SendAsync<RunStatus?>("run lookup", _options.RequestTimeout, token => http.GetAsync($"/lp/runs/{reportId}", token), cancellationToken, notFoundIsNull: true);

    /// <summary>LP's status probe: its counters when it takes work; throws an Unavailable LpCallException when it does not.</summary>
    public async Task<LpStats> GetStatusAsync(CancellationToken cancellationToken) =>
        (await SendAsync<LpStats>("status", _options.RequestTimeout, token => http.GetAsync("/lp/status", token), cancellationToken))!;

    /// <summary>LP's counters, capacity, faults and profile, also during an outage.</summary>
    public async Task<LpStats> GetStatsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<LpStats>("stats", _options.RequestTimeout, token => http.GetAsync("/lp/stats", token), cancellationToken))!;

    private static async Task<T?> SendAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken, bool notFoundIsNull = false, bool isLpRun = false)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await send(timeoutSource.Token);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LpCallException(operation, LpFailure.Unavailable, $"no answer within {timeout}", mayHaveRun: isLpRun, exception);
        }
        catch (HttpRequestException exception)
        {
            // Refused or unresolvable: nothing was sent. Anything else (reset, broken response) may have reached LP.
            var notSent = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
            throw new LpCallException(operation, LpFailure.Unavailable, exception.Message, mayHaveRun: isLpRun && !notSent, exception);
        }
        catch (BrokenCircuitException exception)
        {
            throw new LpCallException(operation, LpFailure.Unavailable, "the circuit to LP is open", inner: exception);
        }

        using (response)
        {
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new LpCallException(operation, Classify(response.StatusCode), $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new LpCallException(operation, LpFailure.Unavailable, "empty response");
        }
    }

    private static LpFailure Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Conflict => LpFailure.UnknownQueue,
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => LpFailure.Unavailable,
        >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => LpFailure.Rejected,
        _ => LpFailure.Unavailable,
    };
}
