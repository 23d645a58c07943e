using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>What the tests send and read through the Api, in the contract's own types.</summary>
public static class Reports
{
    public static object ValidBody(string? title = null, string reporterId = "tester-01") => new
    {
        reporterId,
        reportType = "monthly",
        period = "2026-11",
        title = title ?? "Scenario " + Guid.NewGuid().ToString("N")[..8],
        content = "Body of the report.",
    };

    /// <summary>A POST that starts a trace of its own, so a test can find everything that happened for it.</summary>
    public static HttpRequestMessage Submit(string path, object body, out ActivityTraceId traceId, string? idempotencyKey = null)
    {
        traceId = ActivityTraceId.CreateRandom();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        if (idempotencyKey is not null)
        {
            request.Headers.Add(ReportHeaders.IdempotencyKey, idempotencyKey);
        }

        return request;
    }

    /// <summary>Submits on the async path and returns the 202's body (id, status URL with its token).</summary>
    public static async Task<AcceptedReport> SubmitAsyncReportAsync(this HttpClient api, object? body = null, string? idempotencyKey = null)
    {
        using var response = await api.SendAsync(Submit("/api/reports", body ?? ValidBody(), out _, idempotencyKey), TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            // The problem's title says which refusal it was (broker down, log full, outcome unknown, database down).
            Assert.Fail($"Expected 202 Accepted, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<AcceptedReport>(TestContext.Current.CancellationToken))!;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

    public static async Task<ReportView> ReadReportAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ReportView>(TestContext.Current.CancellationToken))!;

    /// <summary>Polls the status URL until the report reaches a final state.</summary>
    /// <param name="notFoundMeansPending">For reports put on Kafka directly (no status token): 404 until the processor has them.</param>
    public static async Task<ReportView> WaitUntilFinishedAsync(this HttpClient api, string statusUrl, TimeSpan timeout, bool notFoundMeansPending = false)
    {
        var deadline = DateTime.UtcNow + timeout;
        ReportView? report = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await api.GetAsync(statusUrl, TestContext.Current.CancellationToken);
            // 503: the report database is briefly unavailable (a test crashed it); ask again.
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable
                || notFoundMeansPending && response.StatusCode == HttpStatusCode.NotFound)
            {
                await Task.Delay(100, TestContext.Current.CancellationToken);
                continue;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            report = await response.ReadReportAsync();
            if (report.IsFinal)
            {
                return report;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Report at {statusUrl} did not finish within {timeout}; last seen: {report}");
        return report!;
    }

    /// <summary>
    /// For a report put on Kafka directly (no Api answer, so no status URL): waits until the processor has finished it,
    /// through the Development-only list of recent reports, whose items carry their status URLs.
    /// </summary>
    public static async Task<ReportView> WaitUntilListedAndFinishedAsync(this HttpClient api, Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var recent = await api.GetFromJsonAsync<ReportView[]>("/api/reports?limit=100", TestContext.Current.CancellationToken);
            if (recent!.FirstOrDefault(report => report.Id == id) is { StatusUrl: { } statusUrl })
            {
                return await api.WaitUntilFinishedAsync(statusUrl, deadline - DateTime.UtcNow);
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Report {id} was not listed within {timeout}.");
        return null!;
    }

    public static bool IsProblemJson(this HttpResponseMessage response) =>
        response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/problem+json" };
}
