using System.Net;
using System.Net.Http.Json;
using Polly.Timeout;

namespace ReportPoc.Reports.Lp;

public sealed record LpQueueTicket(Guid ReportId, string QueueId, bool Duplicate);

public sealed record LpRunResult(Guid ReportId, string RunId, int Pages, bool Duplicate);

public sealed record LpRunState(Guid ReportId, string State, string? RunId, int? Pages)
{
    public bool IsRunning => State == "running";
    public bool IsCompleted => State == "completed" && RunId is not null;
}

/// <summary>A failed LP call. Transient ones (unavailable, timed out, 5xx) are worth retrying; the rest are not.</summary>
public sealed class LpCallException(string operation, string message, bool isTransient, Exception? inner = null)
    : Exception($"LP {operation} failed: {message}", inner)
{
    public bool IsTransient { get; } = isTransient;
}

/// <summary>Typed client for the LP reporting system (LpMock here): setQueue, LPRUN and the run lookup.</summary>
public sealed class LpClient(HttpClient http)
{
    public Task<LpQueueTicket> SetQueueAsync(Guid reportId, string reportType, CancellationToken cancellationToken) =>
        SendAsync<LpQueueTicket>("setQueue", () => http.PostAsJsonAsync("/lp/set-queue", new { reportId, reportType }, cancellationToken), cancellationToken)!;

    public Task<LpRunResult> RunAsync(Guid reportId, string queueId, CancellationToken cancellationToken) =>
        SendAsync<LpRunResult>("LPRUN", () => http.PostAsJsonAsync("/lp/run", new { reportId, queueId }, cancellationToken), cancellationToken)!;

    /// <summary>Looks up an earlier LPRUN for the report without starting one; null when LP has none.</summary>
    public Task<LpRunState?> FindRunAsync(Guid reportId, CancellationToken cancellationToken) =>
        SendAsync<LpRunState?>("run lookup", () => http.GetAsync($"/lp/runs/{reportId}", cancellationToken), cancellationToken, notFoundIsNull: true);

    /// <summary>LP's own counters and profile (capacity, in-flight, faults), passed through as LP reports them.</summary>
    public async Task<System.Text.Json.JsonElement?> GetStatsAsync(CancellationToken cancellationToken) =>
        await SendAsync<System.Text.Json.JsonElement>("stats", () => http.GetAsync("/lp/stats", cancellationToken), cancellationToken);

    private static async Task<T?> SendAsync<T>(string operation, Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw new LpCallException(operation, exception.Message, isTransient: true, exception);
        }

        using (response)
        {
            if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound)
            {
                return default;
            }

            if (!response.IsSuccessStatusCode)
            {
                var transient = (int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
                throw new LpCallException(operation, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", transient);
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new LpCallException(operation, "empty response", isTransient: false);
        }
    }
}
