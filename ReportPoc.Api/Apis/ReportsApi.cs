using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Submissions;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Api.Apis;

public static class ReportsApi
{
    private const int MaxListed = 100;

    /// <summary>
    /// The "recent reports" list shows every reporter's reports with working status URLs, which the capability rule
    /// forbids (docs/design.md §4.4): a demo feature for the page's board, off unless a demo sets this to true.
    /// </summary>
    public const string ListRecentReportsSwitch = "Demo:ListRecentReports";

    /// <param name="listRecentReports">Whether to map the "recent reports" list (<see cref="ListRecentReportsSwitch"/>).</param>
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app, bool listRecentReports)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports");

        reports.MapPost("/sync", SubmitSyncAsync)
            .WithName("SubmitReportSync")
            .WithSummary("As-is path: runs DB INSERT → LP setQueue → DB UPDATE → LP LPRUN before answering.")
            .AcceptsSubmission()
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .RequireRateLimiting(SubmissionRateLimiting.Policy);
        reports.MapPost("/", SubmitAsync)
            .WithName("SubmitReport")
            .WithSummary("To-be path: publishes ReportSubmitted to Kafka and answers 202 once the broker has it.")
            .AcceptsSubmission()
            .RequireRateLimiting(SubmissionRateLimiting.Policy);
        reports.MapGet("/{id:guid}", GetReportAsync)
            .WithName("GetReport")
            .WithSummary("A report's status, read with the token of its status URL; anything else is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        if (listRecentReports)
        {
            reports.MapGet("/", ListRecentAsync)
                .WithName("ListRecentReports")
                .WithSummary("Demo only, off unless Demo:ListRecentReports is true (the page's board): the most recently updated reports of every reporter, with their status URLs.")
                .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        }

        return app;
    }

    /// <summary>
    /// Runs the workflow while the caller waits. It may mark the report Failed only when LP refused it; a call that cannot
    /// finish (LP or the database unavailable, LPRUN still running) answers 503/504 with the status URL and leaves the
    /// report as it is, for whoever owns it, or for a repeat with the same Idempotency-Key on either path, to finish.
    /// </summary>
    public static async Task<Results<Ok<ReportView>, ValidationProblem, ProblemHttpResult>> SubmitSyncAsync(
        HttpRequest request, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ReportWorkflow workflow, ReportStore store, StatusTokens tokens, ReportsTelemetry telemetry, TimeProvider clock, LinkGenerator links,
        IOptions<PublishingOptions> publishing, IReporterIdentity identity, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return Invalid<Ok<ReportView>>(read);
        }

        if (identity.Refusal(request.HttpContext, read.Request!.ReporterId!) is { } refusal)
        {
            return refusal;
        }

        var submission = ReportSubmitted.From(ReportIdentity.IdFor(read.Request!.ReporterId!, idempotencyKey), idempotencyKey, read.Request, clock.GetUtcNow());
        var outcome = await workflow.RunAsync(submission, ReportPath.Sync, cancellationToken);
        var statusUrl = outcome switch
        {
            WorkflowOutcome.Completed { Report: var stored } => StatusUrl(links, tokens, stored),
            WorkflowOutcome.Failed { Report: var stored } => StatusUrl(links, tokens, stored),
            WorkflowOutcome.Refused { Report: var stored } => StatusUrl(links, tokens, stored),
            _ => StatusUrl(links, tokens, submission.Id, submission.AcceptedAt, ReportIdentity.FingerprintOf(read.Request)),
        };

        switch (outcome)
        {
            case WorkflowOutcome.Completed { Report: var report }:
                telemetry.Accepted(ReportPath.Sync, clock.GetElapsedTime(started));
                telemetry.Completed(report);
                return TypedResults.Ok(report.ToView() with { StatusUrl = statusUrl });

            case WorkflowOutcome.Failed { Report: var report }:
                return LpFailed(report.Id, report.LastError ?? "The report failed earlier.", statusUrl);

            case WorkflowOutcome.Refused { Report: var report, Reason: var reason }:
                // LP refused the report itself: the one verdict the sync path may turn into Failed.
                if (await store.MarkFailedAsync(report.Id, reason, deadLettered: false, cancellationToken) is { Status: ReportStatus.Completed } completed)
                {
                    return TypedResults.Ok(completed.ToView() with { StatusUrl = statusUrl });
                }

                telemetry.Failed(ReportPath.Sync);
                return LpFailed(report.Id, reason, statusUrl);

            case WorkflowOutcome.Conflict:
                return IdempotencyConflict(idempotencyKey!);

            case WorkflowOutcome.Unavailable { Dependency: var dependency, Reason: var reason }:
                request.HttpContext.Response.Headers.RetryAfter = ((int)publishing.Value.RetryAfter.TotalSeconds).ToString();
                return NotFinished(StatusCodes.Status503ServiceUnavailable, $"{dependency} is unavailable; the report was not finished.", reason, submission.Id, statusUrl);

            case WorkflowOutcome.InProgressElsewhere { Reason: var reason }:
                return NotFinished(StatusCodes.Status504GatewayTimeout, "LP is still running the report.", reason, submission.Id, statusUrl);

            default:
                throw new InvalidOperationException($"Unknown workflow outcome {outcome}.");
        }
    }

    public static async Task<Results<Accepted<AcceptedReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, HttpResponse response, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ReportPublisher publisher, StatusTokens tokens, ReportsDbContext db, IOptions<PublishingOptions> publishing, ReportsTelemetry telemetry,
        TimeProvider clock, LinkGenerator links, ILogger<ReportPublisher> logger, IReporterIdentity identity, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return Invalid<Accepted<AcceptedReport>>(read);
        }

        if (identity.Refusal(request.HttpContext, read.Request!.ReporterId!) is { } refusal)
        {
            return refusal;
        }

        var id = ReportIdentity.IdFor(read.Request!.ReporterId!, idempotencyKey);
        var fingerprint = ReportIdentity.FingerprintOf(read.Request);
        Activity.Current?.SetTag("report.id", id);

        // A repeated key: the stored report tells a repeat from a reuse (422). A repeat is answered as before without a
        // second message when something will finish the report: it is final, or it came by this path (its message is
        // in the topic until processed). A sync report left unfinished (its caller gave up, LP was down) has no owner:
        // the repeat publishes it, and the processor continues it from where it stands (the LPRUN claim keeps it single).
        var stored = idempotencyKey is null ? null : await FindStoredAsync(db, id, publishing.Value.StoredReportLookupTimeout, logger, cancellationToken);
        if (stored is not null && ReportStore.IsConflict(stored, fingerprint))
        {
            return IdempotencyConflict(idempotencyKey!);
        }

        if (stored is not null && (stored.IsFinal || stored.Path == ReportPath.Async))
        {
            // Answered with where the report stands now (Completed, Failed, still Running), as a repeat on any path is.
            var storedUrl = StatusUrl(links, tokens, stored);
            return TypedResults.Accepted(storedUrl, new AcceptedReport(stored.Id, stored.Status, stored.AcceptedAt, storedUrl));
        }

        var acceptedAt = stored?.AcceptedAt ?? clock.GetUtcNow();
        var outcome = await publisher.PublishAsync(ReportSubmitted.From(id, idempotencyKey, read.Request, acceptedAt), cancellationToken);
        if (outcome != PublishOutcome.Accepted)
        {
            response.Headers.RetryAfter = ((int)publishing.Value.RetryAfter.TotalSeconds).ToString();
            return outcome switch
            {
                PublishOutcome.NotAccepted => NotAccepted(idempotencyKey),
                PublishOutcome.LogFull => LogFull(publishing.Value),
                _ => OutcomeUnknown(id, StatusUrl(links, tokens, id, acceptedAt, fingerprint, confirmed: false), idempotencyKey),
            };
        }

        telemetry.Accepted(ReportPath.Async, clock.GetElapsedTime(started));
        var statusUrl = StatusUrl(links, tokens, id, acceptedAt, fingerprint);
        return TypedResults.Accepted(statusUrl, new AcceptedReport(id, ReportStatus.Accepted, acceptedAt, statusUrl));
    }

    public static async Task<Results<Ok<ReportView>, ProblemHttpResult>> GetReportAsync(
        Guid id, string? token, ReportsDbContext db, StatusTokens tokens, CancellationToken cancellationToken)
    {
        // Checked before any query: a guessed id, a foreign id and a forged token are the same 404.
        if (tokens.Verify(id, token) is not { } capability)
        {
            return NotFound("No such report.", "Read a report with the status URL (and its token) its submission answered with.");
        }

        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is not null)
        {
            return TypedResults.Ok(capability.Matches(report.Fingerprint)
                ? report.ToView()
                : ReportViews.Conflict(id, capability.AcceptedAt));
        }

        return capability.Confirmed
            ? TypedResults.Ok(ReportViews.Accepted(id, capability.AcceptedAt))
            : NotFound("This submission is not known (yet).",
                "The broker did not confirm it in time. If it reached the broker, this URL shows it within seconds; " +
                "otherwise it was not accepted. Resending with the same Idempotency-Key is safe either way.");
    }

    public static async Task<Ok<ReportView[]>> ListRecentAsync(ReportsDbContext db, StatusTokens tokens, LinkGenerator links, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 20, 1, MaxListed);
        var reports = await db.Reports.AsNoTracking().OrderByDescending(r => r.UpdatedAt).Take(take).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(reports.Select(report => report.ToView() with { StatusUrl = StatusUrl(links, tokens, report) }).ToArray());
    }

    /// <summary>The request body and every problem each submission endpoint may answer with, as the OpenAPI document shows them.</summary>
    internal static RouteHandlerBuilder AcceptsSubmission(this RouteHandlerBuilder endpoint) => endpoint
        .Accepts<SubmitReportRequest>("application/json")
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status401Unauthorized) // only with Identity:RequireAuthenticatedReporter (IReporterIdentity)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status408RequestTimeout)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The stored report under this id, if the database can say so quickly; null when it cannot (the processor decides then).</summary>
    private static async Task<Report?> FindStoredAsync(ReportsDbContext db, Guid id, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            return await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, bounded.Token);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && (exception is OperationCanceledException || DatabaseFailures.IsUnavailable(exception)))
        {
            // Accepting must not depend on the database; a conflict found later is the processor's to report.
            logger.LogDebug("Report {ReportId}: no stored-report check ({Reason}); publishing", id, exception.Message);
            return null;
        }
    }

    private static string StatusUrl(LinkGenerator links, StatusTokens tokens, Report report) =>
        StatusUrl(links, tokens, report.Id, report.AcceptedAt, report.Fingerprint ?? ReportIdentity.FingerprintOf(report.AsRequest()));

    private static string StatusUrl(LinkGenerator links, StatusTokens tokens, Guid id, DateTimeOffset acceptedAt, string fingerprint, bool confirmed = true) =>
        links.GetPathByName("GetReport", new { id, token = tokens.Issue(id, acceptedAt, fingerprint, confirmed) })!;

    private static Results<TOk, ValidationProblem, ProblemHttpResult> Invalid<TOk>(SubmissionRead read) where TOk : IResult =>
        read.StatusCode == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(read.Errors, title: "The report has invalid fields.")
            : TypedResults.Problem(statusCode: read.StatusCode, title: read.Errors.Values.First()[0]);

    private static ProblemHttpResult IdempotencyConflict(string idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key was already used for a different report.",
            detail: $"Idempotency-Key '{idempotencyKey}' names an earlier submission of this reporter with other content; use a new key for a new report.",
            extensions: new Dictionary<string, object?> { ["idempotencyKey"] = idempotencyKey });

    private static ProblemHttpResult NotAccepted(string? idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The message broker is unavailable; nothing was accepted.",
            detail: idempotencyKey is null
                ? "Nothing reached the broker, so sending again after the indicated time cannot create a second report."
                : "Send again after the indicated time with the same Idempotency-Key.");

    private static ProblemHttpResult LogFull(PublishingOptions publishing) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The message broker cannot hold more unread reports now; nothing was accepted.",
            detail: $"Local mode's in-memory broker keeps at most {publishing.PartitionLogBytes:N0} bytes of unread reports per partition and would " +
                    "drop the oldest beyond that. Send again after the indicated time, once the processors have caught up.",
            extensions: new Dictionary<string, object?> { ["partitionLogBytes"] = publishing.PartitionLogBytes });

    private static ProblemHttpResult OutcomeUnknown(Guid id, string statusUrl, string? idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The outcome is unknown: the report may have been accepted.",
            detail: idempotencyKey is null
                ? "The broker did not confirm the submission in time. This request had no Idempotency-Key, so sending it again may create a " +
                  "second report: check the status URL first."
                : "The broker did not confirm the submission in time. Check the status URL, or send again with the same Idempotency-Key: " +
                  "it names the same report, which is processed once.",
            extensions: new Dictionary<string, object?> { ["reportId"] = id, ["statusUrl"] = statusUrl });

    private static ProblemHttpResult LpFailed(Guid reportId, string reason, string statusUrl)
    {
        // The reason (LP's answer, the HTTP client's error with host and port) is the operators': the trace keeps it.
        Activity.Current?.SetTag("report.lp_error", reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The LP system failed the report.", detail: ReportErrors.SyncLpFailed,
            extensions: new Dictionary<string, object?> { ["reportId"] = reportId, ["statusUrl"] = statusUrl });
    }

    private static ProblemHttpResult NotFinished(int status, string title, string reason, Guid reportId, string statusUrl)
    {
        // As for LpFailed: what went wrong (LP's answer, hosts and ports) is the operators', in the trace.
        Activity.Current?.SetTag("report.unfinished_reason", reason);
        return TypedResults.Problem(statusCode: status, title: title, detail: ReportErrors.SyncNotFinished,
            extensions: new Dictionary<string, object?> { ["reportId"] = reportId, ["statusUrl"] = statusUrl });
    }

    private static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
