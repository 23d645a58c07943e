using System.Net.ServerSentEvents;
using System.Text.Json;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>A report's event stream (GET {status URL}/events) read the way an EventSource reads it.</summary>
public sealed class ReportStream : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>>? _events;

    private ReportStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>>? events)
    {
        _response = response;
        _events = events;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>/api/reports/{id}?token=… → /api/reports/{id}/events?token=…, as the page derives it.</summary>
    public static string EventsUrl(string statusUrl) => statusUrl.Contains('?') ? statusUrl.Replace("?", "/events?") : statusUrl + "/events";

    /// <summary>
    /// Opens the stream once this client may hold another: the suite's tests are one client, and a stream of an earlier
    /// test may still hold its place (the server lets go when that stream's report ends). Any other answer is returned.
    /// </summary>
    public static async Task<ReportStream> OpenWhenAdmittedAsync(HttpClient api, string statusUrl, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stream = await OpenAsync(api, statusUrl);
            if (stream.Response.StatusCode != HttpStatusCode.TooManyRequests || DateTime.UtcNow > deadline)
            {
                return stream;
            }

            await stream.DisposeAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Opens the stream; a refusal (4xx/5xx/204) is returned as it is, with no events to read.</summary>
    public static async Task<ReportStream> OpenAsync(HttpClient api, string statusUrl, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, EventsUrl(statusUrl));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new ReportStream(response, null);
        }

        var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        return new ReportStream(response, SseParser.Create(body).EnumerateAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator());
    }

    /// <summary>The next event (heartbeats included), or null when the server ended the stream.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan timeout)
    {
        var next = _events!.MoveNextAsync().AsTask();
        var finished = await Task.WhenAny(next, Task.Delay(timeout, TestContext.Current.CancellationToken));
        Assert.True(finished == next, $"No event within {timeout}.");
        return await next ? _events.Current : null;
    }

    /// <summary>Every report state until the server ends the stream (heartbeats skipped), with their event ids.</summary>
    public async Task<List<(string? Id, ReportView Report)>> ReadToEndAsync(TimeSpan timeout)
    {
        var states = new List<(string?, ReportView)>();
        var deadline = DateTime.UtcNow + timeout;
        while (await NextAsync(deadline - DateTime.UtcNow) is { } item)
        {
            if (item.EventType == SseParser.EventTypeDefault)
            {
                states.Add((item.EventId, Parse(item)));
            }
        }

        return states;
    }

    public static ReportView Parse(SseItem<string> item) => JsonSerializer.Deserialize<ReportView>(item.Data, Json)!;

    public async ValueTask DisposeAsync()
    {
        // The response first: that drops the connection, which ends a read still waiting for an event.
        _response.Dispose();
        if (_events is not null)
        {
            try
            {
                await _events.DisposeAsync();
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or HttpRequestException or InvalidOperationException or NotSupportedException)
            {
                // The connection was dropped on purpose.
            }
        }
    }
}
