using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Outcomes;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Apis;

/// <summary>
/// A report's changes pushed as Server-Sent Events, on its status URL with <c>/events</c> after the id (same token,
/// same capability rule as the status read). docs/design.md, "Outcome push".
/// </summary>
public static class ReportEventsApi
{
    /// <summary>The event id of the state a status token vouches for before the report has a row.</summary>
    public const string NotStoredYetEventId = "0";

    public static IEndpointRouteBuilder MapReportEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reports").WithTags("Reports")
            .MapGet("/{id:guid}/events", StreamAsync)
            .WithName("StreamReportEvents")
            .WithSummary("A report's states as Server-Sent Events, read with the token of its status URL; anything else is 404.")
            .WithDescription(
                "Each event's data is the status read's body (ReportView) and its id the row's version. The first event is the current " +
                "state; then every committed change follows until a final state (Completed, Failed, Conflict), after which the stream ends. " +
                "Reconnecting with Last-Event-ID resumes: a state already seen is not sent again, and reconnecting after the final state " +
                "answers 204 (EventSource then stops). Idle streams carry 'heartbeat' events. Open streams are bounded per client " +
                "(429) and per Api instance (503); poll the status URL instead when refused.")
            .Produces<ReportView>(StatusCodes.Status200OK, "text/event-stream")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<string>, NoContent, ProblemHttpResult>> StreamAsync(
        Guid id, string? token, [FromHeader(Name = "Last-Event-ID")] string? lastEventId, HttpContext http,
        StatusTokens tokens, StreamAdmission admission, ReportChangeFeed feed, ReportsDbContext db,
        IOptions<ReportEventsOptions> options, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        // Checked before any query, as the status read does: a guessed id, a foreign id and a forged token are the same 404.
        if (tokens.Verify(id, token) is not { } capability)
        {
            return NotFound();
        }

        // Streams are counted per client as the rate limiter counts clients: an IPv4 address or an IPv6 /64.
        var refusal = admission.TryAdmit(SubmissionRateLimiting.ClientOf(http.Connection.RemoteIpAddress), out var lease);
        if (refusal != StreamRefusal.None)
        {
            http.Response.Headers.RetryAfter = ((int)options.Value.ReconnectDelay.TotalSeconds + 1).ToString(CultureInfo.InvariantCulture);
            return refusal == StreamRefusal.ClientLimit
                ? TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many open report streams from this client.",
                    detail: $"A client may hold {options.Value.MaxStreamsPerClient} streams at once. Close one, or poll the status URL instead.")
                : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "This Api instance holds all the report streams it may.",
                    detail: "Poll the status URL instead, or open the stream again after the indicated time.");
        }

        http.Response.RegisterForDispose(lease!);
        // Watching starts before the row is read: a change committed between the two is then seen, not lost.
        var watch = feed.Watch(id);
        http.Response.RegisterForDispose(watch);

        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null && !capability.Confirmed)
        {
            return NotFound();
        }

        var current = report is null ? new ReportEvent(NotStoredYetEventId, ReportViews.Accepted(id, capability.AcceptedAt)) : ReportEvent.Of(report, capability);
        if (current.EventId == lastEventId && current.View.IsFinal)
        {
            return TypedResults.NoContent();
        }

        return TypedResults.ServerSentEvents(Events(current, lastEventId, watch, capability, options.Value, json.Value.SerializerOptions, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(ReportEvent current, string? lastEventId, ReportWatch watch, StatusCapability capability,
        ReportEventsOptions options, JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sent = current.EventId == lastEventId ? current : null;
        // The retry hint rides on the first event, whichever it is.
        var retry = (TimeSpan?)options.ReconnectDelay;
        if (sent is null)
        {
            yield return current.ToItem(json, retry);
            retry = null;
            sent = current;
        }

        while (!sent.View.IsFinal)
        {
            Report? changed;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                idle.CancelAfter(options.HeartbeatInterval);
                try
                {
                    changed = await watch.Changes.ReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    changed = null;
                }
            }

            if (changed is null)
            {
                yield return new SseItem<string>("", ReportStreamEvents.Heartbeat) { ReconnectionInterval = retry };
                retry = null;
                continue;
            }

            var next = ReportEvent.Of(changed, capability);
            // A write that changed nothing the reader sees (e.g. a claim taken and released) is not a new state, and a row
            // read before the one already sent (the feed's read raced the stream's first read) is an old one.
            if (next.EventId == sent.EventId || next.View == sent.View || next.UpdatedAt < sent.UpdatedAt)
            {
                continue;
            }

            yield return next.ToItem(json, retry);
            retry = null;
            sent = next;
        }
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such report.",
            detail: "Follow a report with the status URL (and its token) its submission answered with, plus /events after the id.");

    /// <summary>One state of a report as the reader may see it, and its event id: the row's version (xmin).</summary>
    private sealed record ReportEvent(string EventId, ReportView View, DateTimeOffset? UpdatedAt = null)
    {
        public static ReportEvent Of(Report report, StatusCapability capability) => new(
            report.Version.ToString(CultureInfo.InvariantCulture),
            capability.Matches(report.Fingerprint) ? report.ToView() : ReportViews.Conflict(report.Id, capability.AcceptedAt),
            report.UpdatedAt);

        public SseItem<string> ToItem(JsonSerializerOptions json, TimeSpan? retry) =>
            new(JsonSerializer.Serialize(View, json)) { EventId = EventId, ReconnectionInterval = retry };
    }
}
