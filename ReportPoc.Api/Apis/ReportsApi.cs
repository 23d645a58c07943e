using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
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
            .WithName(StatusUrls.StatusRead)
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
        ReportWorkflow workflow, ReportStore store, [AsParameters] SubmissionServices services, CancellationToken cancellationToken)
    {
        var (telemetry, clock, statusUrls, publishing, identity) = services;
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return ReportProblems.Invalid<Ok<ReportView>>(read);
        }

        if (identity.Refusal(request.HttpContext, read.Request!.ReporterId!) is { } refusal)
        {
            return refusal;
        }

        var submission = ReportSubmitted.From(ReportIdentity.IdFor(read.Request!.ReporterId!, idempotencyKey), idempotencyKey, read.Request, clock.GetUtcNow());
        var outcome = await workflow.RunAsync(submission, ReportPath.Sync, cancellationToken);
        var statusUrl = outcome switch
        {
            WorkflowOutcome.Completed { Report: var stored } => statusUrls.For(stored),
            WorkflowOutcome.Failed { Report: var stored } => statusUrls.For(stored),
            WorkflowOutcome.Refused { Report: var stored } => statusUrls.For(stored),
            _ => statusUrls.For(submission.Id, submission.AcceptedAt, ReportIdentity.FingerprintOf(read.Request)),
        };

        switch (outcome)
        {
            case WorkflowOutcome.Completed { Report: var report }:
                telemetry.Accepted(ReportPath.Sync, clock.GetElapsedTime(started));
                telemetry.Completed(report);
                return TypedResults.Ok(report.ToView() with { StatusUrl = statusUrl });

            case WorkflowOutcome.Failed { Report: var report }:
                return ReportProblems.LpFailed(report.Id, report.LastError ?? "The report failed earlier.", statusUrl);

            case WorkflowOutcome.Refused { Report: var report, Reason: var reason }:
                // LP refused the report itself: the one verdict the sync path may turn into Failed.
                if (await store.MarkFailedAsync(report.Id, reason, deadLettered: false, cancellationToken) is { Status: ReportStatus.Completed } completed)
                {
                    return TypedResults.Ok(completed.ToView() with { StatusUrl = statusUrl });
                }

                telemetry.Failed(ReportPath.Sync);
                return ReportProblems.LpFailed(report.Id, reason, statusUrl);

            case WorkflowOutcome.Conflict:
                return ReportProblems.IdempotencyConflict(idempotencyKey!);

            case WorkflowOutcome.Unavailable { Dependency: var dependency, Reason: var reason }:
                request.HttpContext.Response.Headers.RetryAfter = ((int)publishing.Value.RetryAfter.TotalSeconds).ToString();
                return ReportProblems.NotFinished(StatusCodes.Status503ServiceUnavailable, $"{dependency} is unavailable; the report was not finished.", reason, submission.Id, statusUrl);

            case WorkflowOutcome.InProgressElsewhere { Reason: var reason }:
                return ReportProblems.NotFinished(StatusCodes.Status504GatewayTimeout, "LP is still running the report.", reason, submission.Id, statusUrl);

            default:
                throw new InvalidOperationException($"Unknown workflow outcome {outcome}.");
        }
    }

    public static async Task<Results<Accepted<AcceptedReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ReportPublisher publisher, ReportsDbContext db, ILogger<ReportPublisher> logger, [AsParameters] SubmissionServices services,
        CancellationToken cancellationToken)
    {
        var (telemetry, clock, statusUrls, publishing, identity) = services;
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return ReportProblems.Invalid<Accepted<AcceptedReport>>(read);
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
            return ReportProblems.IdempotencyConflict(idempotencyKey!);
        }

        if (stored is not null && (stored.IsFinal || stored.Path == ReportPath.Async))
        {
            // Answered with where the report stands now (Completed, Failed, still Running), as a repeat on any path is.
            var storedUrl = statusUrls.For(stored);
            return TypedResults.Accepted(storedUrl, new AcceptedReport(stored.Id, stored.Status, stored.AcceptedAt, storedUrl));
        }

        var acceptedAt = stored?.AcceptedAt ?? clock.GetUtcNow();
        var outcome = await publisher.PublishAsync(ReportSubmitted.From(id, idempotencyKey, read.Request, acceptedAt), cancellationToken);
        if (outcome != PublishOutcome.Accepted)
        {
            request.HttpContext.Response.Headers.RetryAfter = ((int)publishing.Value.RetryAfter.TotalSeconds).ToString();
            return outcome switch
            {
                PublishOutcome.NotAccepted => ReportProblems.NotAccepted(idempotencyKey),
                PublishOutcome.LogFull => ReportProblems.LogFull(publishing.Value),
                _ => ReportProblems.OutcomeUnknown(id, statusUrls.For(id, acceptedAt, fingerprint, confirmed: false), idempotencyKey),
            };
        }

        telemetry.Accepted(ReportPath.Async, clock.GetElapsedTime(started));
        var statusUrl = statusUrls.For(id, acceptedAt, fingerprint);
        return TypedResults.Accepted(statusUrl, new AcceptedReport(id, ReportStatus.Accepted, acceptedAt, statusUrl));
    }

    public static async Task<Results<Ok<ReportView>, ProblemHttpResult>> GetReportAsync(
        Guid id, string? token, ReportsDbContext db, StatusTokens tokens, CancellationToken cancellationToken)
    {
        // Checked before any query: a guessed id, a foreign id and a forged token are the same 404.
        if (tokens.Verify(id, token) is not { } capability)
        {
            return ReportProblems.NotFound("No such report.", "Read a report with the status URL (and its token) its submission answered with.");
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
            : ReportProblems.NotFound("This submission is not known (yet).",
                "The broker did not confirm it in time. If it reached the broker, this URL shows it within seconds; " +
                "otherwise it was not accepted. Resending with the same Idempotency-Key is safe either way.");
    }

    public static async Task<Ok<ReportView[]>> ListRecentAsync(ReportsDbContext db, StatusUrls statusUrls, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 20, 1, MaxListed);
        var reports = await db.Reports.AsNoTracking().OrderByDescending(r => r.UpdatedAt).Take(take).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(reports.Select(report => report.ToView() with { StatusUrl = statusUrls.For(report) }).ToArray());
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
}
