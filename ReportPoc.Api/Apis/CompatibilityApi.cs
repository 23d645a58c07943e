using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Compatibility;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Outcomes;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Submissions;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;

namespace ReportPoc.Api.Apis;

/// <summary>
/// The compatibility endpoint: today's synchronous contract (the request of POST /api/reports/sync, 200 with the final
/// report), served on the path an operator set for the client: as-is, the bridge, or plain async. docs/design.md, "The bridge".
/// </summary>
public static class CompatibilityApi
{
    private const string SyncEndpoint = "SubmitReportSync";
    private const string AsyncEndpoint = "SubmitReport";

    public static IEndpointRouteBuilder MapCompatibilityApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reports").WithTags("Reports")
            .MapPost("/compat", SubmitAsync)
            .WithName("SubmitReportCompatible")
            .WithSummary("Today's sync contract on the path set for the client (its reporterId): as-is, the bridge, or async.")
            .WithDescription(
                "The request is that of POST /api/reports/sync. The client is the request's reporterId; an operator sets its path from the " +
                "dashboard (client_paths), and the Report-Served-By header names the path that served the request. sync: the as-is path, " +
                "answered exactly as POST /api/reports/sync. bridge: published to Kafka like POST /api/reports, then the request waits " +
                "(Compatibility:BridgeWait) for the outcome: 200 with the final report, 502 if it failed, or, past the wait, 202 with the " +
                "status URL (as async). async: answered exactly as POST /api/reports (202 with the status URL).")
            .AcceptsSubmission()
            .Produces<ReportView>(StatusCodes.Status200OK)
            .Produces<AcceptedReport>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout) // a client on the sync path: LPRUN still running elsewhere
            .RequireRateLimiting(SubmissionRateLimiting.Policy);
        return app;
    }

    public static async Task SubmitAsync(HttpContext http, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ClientPathDirectory clientPaths, ReportsDbContext db, EndpointDataSource endpoints, CancellationToken cancellationToken)
    {
        // Read once here to know the client, and again by the endpoint that serves it: the body is buffered (it is small, bounded by
        // ReportFieldLimits.MaxBodyBytes, and SubmissionReader enforces that bound before buffering it).
        http.Request.EnableBuffering();
        var read = await SubmissionReader.ReadAsync(http.Request, idempotencyKey, cancellationToken);
        http.Request.Body.Position = 0;

        // Before anything is looked up for the reporter, and here for every path: the bridge publishes itself (the endpoints check again).
        if (read.IsValid && http.RequestServices.GetRequiredService<IReporterIdentity>().Refusal(http, read.Request!.ReporterId!) is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return;
        }

        // The path is chosen once, now: a switch later does not move this request (or its report) to another path.
        var path = await clientPaths.PathForAsync(read.Request?.ReporterId, db, cancellationToken);
        http.Response.Headers[CompatibilityHeaders.ServedBy] = path.ToString().ToLowerInvariant();
        Activity.Current?.SetTag("report.served_by", path.ToString().ToLowerInvariant());

        // An invalid request gets the answer its path's own endpoint gives it; the bridge answers like the async path then.
        if (path == ClientPath.Bridge && read.IsValid)
        {
            var result = await BridgeAsync(http, read.Request!, idempotencyKey, cancellationToken);
            await result.ExecuteAsync(http);
            return;
        }

        await Endpoint(endpoints, path == ClientPath.Sync ? SyncEndpoint : AsyncEndpoint).RequestDelegate!(http);
    }

    /// <summary>
    /// The async path with the sync path's answer: publish, then wait for the report's row to reach a final state, heard through
    /// the instance's change feed (no thread held, no polling), up to Compatibility:BridgeWait.
    /// </summary>
    private static async Task<IResult> BridgeAsync(HttpContext http, SubmitReportRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var services = http.RequestServices;
        var feed = services.GetRequiredService<ReportChangeFeed>();
        var db = services.GetRequiredService<ReportsDbContext>();
        var options = services.GetRequiredService<IOptions<CompatibilityOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();

        var id = ReportIdentity.IdFor(request.ReporterId!, idempotencyKey);
        var fingerprint = ReportIdentity.FingerprintOf(request);
        Activity.Current?.SetTag("report.id", id);

        // Watching starts before publishing, so an outcome that comes quickly is not missed.
        using var watch = feed.Watch(id);
        var stored = idempotencyKey is null ? null : await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (stored?.Fingerprint is { } storedFingerprint && storedFingerprint != fingerprint)
        {
            return ReportProblems.IdempotencyConflict(idempotencyKey!);
        }

        var acceptedAt = stored?.AcceptedAt ?? clock.GetUtcNow();
        var statusUrls = services.GetRequiredService<StatusUrls>();
        // A repeat of a stored report (same key, same content) is waited for again, never published again.
        if (stored is null)
        {
            var outcome = await services.GetRequiredService<ReportPublisher>().PublishAsync(ReportSubmitted.From(id, idempotencyKey, request, acceptedAt), cancellationToken);
            if (outcome != PublishOutcome.Accepted)
            {
                var publishing = services.GetRequiredService<IOptions<PublishingOptions>>().Value;
                http.Response.Headers.RetryAfter = ((int)publishing.RetryAfter.TotalSeconds).ToString();
                return outcome switch
                {
                    PublishOutcome.NotAccepted => ReportProblems.NotAccepted(idempotencyKey),
                    PublishOutcome.LogFull => ReportProblems.LogFull(publishing),
                    _ => ReportProblems.OutcomeUnknown(id, statusUrls.For(id, acceptedAt, fingerprint, confirmed: false), idempotencyKey),
                };
            }
        }

        var statusUrl = statusUrls.For(id, acceptedAt, fingerprint);
        var report = stored is { IsFinal: true } ? stored : await WaitForOutcomeAsync(watch, options.BridgeWait, cancellationToken);
        if (report is null)
        {
            return TypedResults.Accepted(statusUrl, new AcceptedReport(id, ReportStatus.Accepted, acceptedAt, statusUrl));
        }

        if (report.Fingerprint is { } reportFingerprint && reportFingerprint != fingerprint)
        {
            return ReportProblems.IdempotencyConflict(idempotencyKey!);
        }

        return report.Status == ReportStatus.Completed
            ? TypedResults.Ok(report.ToView() with { StatusUrl = statusUrl })
            : ReportProblems.LpFailed(id, report.LastError ?? "The report failed.", statusUrl);
    }

    /// <returns>The report in its final state, or null when the wait ran out first.</returns>
    private static async Task<Report?> WaitForOutcomeAsync(ReportWatch watch, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(wait);
        try
        {
            while (true)
            {
                var report = await watch.Changes.ReadAsync(limit.Token);
                if (report.IsFinal)
                {
                    return report;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static Endpoint Endpoint(EndpointDataSource endpoints, string name) =>
        endpoints.Endpoints.Single(endpoint => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == name);
}
