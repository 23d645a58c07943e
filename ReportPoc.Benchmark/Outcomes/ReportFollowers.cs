using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using ReportPoc.Benchmark.Load;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Outcomes;

/// <summary>How a client learned a report's outcome: the final state, when it arrived, and what learning it cost.</summary>
/// <param name="Requests">HTTP requests the client sent to learn it: stream opens, or status reads.</param>
public sealed record Followed(ReportView? Final, DateTimeOffset? ReceivedAt, int Requests)
{
    /// <summary>From the outcome's own timestamp (written in the transaction that commits it) to the client having it.</summary>
    public TimeSpan? Delay => Final?.Timestamps is { } times && (times.CompletedAt ?? times.FailedAt) is { } outcomeAt && ReceivedAt is { } received
        ? received - outcomeAt
        : null;
}

/// <summary>The two ways a client holding a status URL learns the outcome: the event stream, or polling the status URL.</summary>
public static class ReportFollowers
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Follows the report's event stream until a final state arrives, reconnecting with Last-Event-ID as EventSource does.</summary>
    public static async Task<Followed> ByStreamAsync(ReportPocClient client, Uri statusUrl, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(giveUpAfter);
        string? lastEventId = null;
        var opens = 0;
        try
        {
            while (true)
            {
                opens++;
                using var response = await client.OpenEventsAsync(statusUrl, lastEventId, limit.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    // 204: the final state was already delivered; a refusal (429/503) ends this follower without an outcome.
                    return new Followed(null, null, opens);
                }

                await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(limit.Token))
                {
                    if (item.EventType != SseParser.EventTypeDefault)
                    {
                        continue; // heartbeats
                    }

                    var receivedAt = DateTimeOffset.UtcNow;
                    lastEventId = item.EventId;
                    if (JsonSerializer.Deserialize<ReportView>(item.Data, Json) is { IsFinal: true } final)
                    {
                        return new Followed(final, receivedAt, opens);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Followed(null, null, opens);
        }
        catch (HttpRequestException)
        {
            return new Followed(null, null, opens);
        }
    }

    /// <summary>Reads the status URL every <paramref name="interval"/> until the report is final.</summary>
    public static async Task<Followed> ByPollingAsync(ReportPocClient client, Uri statusUrl, TimeSpan interval, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + giveUpAfter;
        var reads = 0;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(interval, cancellationToken);
            reads++;
            if (await client.GetStatusAsync(statusUrl, cancellationToken) is { IsFinal: true } final)
            {
                return new Followed(final, DateTimeOffset.UtcNow, reads);
            }
        }

        return new Followed(null, null, reads);
    }
}
