using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Reports.Lp;

/// <summary>What an LP failure says about LP and about the report.</summary>
public enum LpFailure
{
    /// <summary>
    /// LP did not take the call, or the answer is not LP's (unreachable, timed out, a gateway's 5xx, a proxy's
    /// 401/403/404, a body that is not LP's answer, the client's circuit open). Not the report's fault.
    /// </summary>
    Unavailable,

    /// <summary>LP answered and refused the report itself (its own error body says so). Only this counts as a failed attempt.</summary>
    Rejected,

    /// <summary>LP does not know the queue the report was given (409): it lost its state; queue the report again.</summary>
    UnknownQueue,

    /// <summary>LP refused LPRUN because a newer claim's call reached it first: nothing ran for this caller; another holds the claim.</summary>
    StaleClaim,
}

public sealed class LpCallException(string operation, LpFailure failure, string message, bool mayHaveRun = false, Exception? inner = null)
    : Exception($"LP {operation} failed: {message}", inner)
{
    public LpFailure Failure { get; } = failure;

    /// <summary>
    /// An LPRUN whose answer does not prove that LP did not start it (no answer, a gateway's error, a body that is not
    /// LP's): it may be running in LP. Only LP's lookup can tell, never a second LPRUN.
    /// </summary>
    public bool MayHaveRun { get; } = mayHaveRun;
}

/// <summary>Typed client for the LP reporting system (LpMock here): setQueue, LPRUN, the run lookup and the status probe.</summary>
public sealed class LpClient(HttpClient http, IOptions<LpClientOptions> options)
{
    private readonly LpClientOptions _options = options.Value;

    public Task<QueueTicket> SetQueueAsync(Guid reportId, string reportType, CancellationToken cancellationToken) =>
        SendAsync<QueueTicket>("setQueue", _options.RequestTimeout,
            token => http.PostAsJsonAsync("/lp/set-queue", new SetQueueRequest(reportId, reportType), token), cancellationToken)!;

    /// <param name="fencingToken">The claim's sequence number: LP refuses it when it has seen a newer one for the report.</param>
    public Task<RunTicket> RunAsync(Guid reportId, string queueId, long fencingToken, CancellationToken cancellationToken) =>
        SendAsync<RunTicket>("LPRUN", _options.RunTimeout,
            token => http.PostAsJsonAsync("/lp/run", new RunRequest(reportId, queueId, fencingToken), token), cancellationToken, isLpRun: true)!;

    /// <summary>The report's latest LPRUN as LP knows it, without starting one; null when LP says it has none.</summary>
    public Task<RunStatus?> FindRunAsync(Guid reportId, CancellationToken cancellationToken) =>
        SendAsync<RunStatus?>("run lookup", _options.RequestTimeout, token => http.GetAsync($"/lp/runs/{reportId}", token), cancellationToken, noRunIsNull: true);

    /// <summary>LP's status probe: its counters when it takes work; throws an Unavailable LpCallException when it does not.</summary>
    public async Task<LpStats> GetStatusAsync(CancellationToken cancellationToken) =>
        (await SendAsync<LpStats>("status", _options.RequestTimeout, token => http.GetAsync("/lp/status", token), cancellationToken))!;

    /// <summary>LP's counters, capacity, faults and profile, also during an outage.</summary>
    public async Task<LpStats> GetStatsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<LpStats>("stats", _options.RequestTimeout, token => http.GetAsync("/lp/stats", token), cancellationToken))!;

    private static async Task<T?> SendAsync<T>(string operation, TimeSpan timeout, Func<CancellationToken, Task<HttpResponseMessage>> send,
        CancellationToken cancellationToken, bool noRunIsNull = false, bool isLpRun = false)
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
            if (!response.IsSuccessStatusCode)
            {
                // Only LP's own error body is LP's word. A gateway's 502/504 may hide an LPRUN that LP is executing.
                var lpError = await LpErrorOfAsync(response, cancellationToken);
                if (noRunIsNull && lpError == LpErrors.NoRun)
                {
                    return default;
                }

                var failure = lpError is null ? LpFailure.Unavailable : Classify(lpError);
                var source = lpError is null ? "not LP's answer" : $"LP: {lpError}";
                throw new LpCallException(operation, failure, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} ({source})",
                    mayHaveRun: isLpRun && lpError is null);
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                    ?? throw new LpCallException(operation, LpFailure.Unavailable, "empty response", mayHaveRun: isLpRun);
            }
            catch (Exception exception) when (exception is JsonException or NotSupportedException)
            {
                // A 200 that is not LP's answer (a proxy's page): says nothing about the report, and an LPRUN may have run.
                throw new LpCallException(operation, LpFailure.Unavailable, $"the answer is not LP's: {exception.Message}", mayHaveRun: isLpRun, exception);
            }
        }
    }

    /// <summary>The <see cref="LpErrors"/> code of LP's own error body; null when the body is not LP's.</summary>
    private static async Task<string?> LpErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty(LpErrors.Extension, out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static LpFailure Classify(string lpError) => lpError switch
    {
        LpErrors.Rejected or LpErrors.Invalid => LpFailure.Rejected,
        LpErrors.UnknownQueue => LpFailure.UnknownQueue,
        LpErrors.StaleClaim => LpFailure.StaleClaim,
        _ => LpFailure.Unavailable,
    };
}
