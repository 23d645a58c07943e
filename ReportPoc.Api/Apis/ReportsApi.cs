using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Submissions;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Api.Apis;

public static class ReportsApi
{
    private const int MaxListed = 100;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("Reports");

        reports.MapPost("/sync", SubmitSyncAsync)
            .WithSummary("As-is path: runs DB INSERT → LP setQueue → DB UPDATE → LP LPRUN before answering.");
        reports.MapPost("/", SubmitAsync)
            .WithSummary("To-be path: publishes ReportSubmitted to Kafka and answers 202 once the broker has it.");
        reports.MapGet("/{id:guid}", GetReportAsync)
            .WithName("GetReport")
            .WithSummary("A report's status. Pass the status URL's token to see reports accepted but not yet picked up.");
        reports.MapGet("/", ListRecentAsync)
            .WithSummary("The most recently updated reports, newest first.");

        return app;
    }

    public static async Task<Results<Ok<ReportView>, ValidationProblem, ProblemHttpResult>> SubmitSyncAsync(
        HttpRequest request, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ReportWorkflow workflow, ReportsTelemetry telemetry, TimeProvider clock, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return Invalid<Ok<ReportView>>(read);
        }

        var submission = ReportSubmitted.From(ReportIdentity.IdFor(read.Request!.ReporterId!, idempotencyKey), idempotencyKey, read.Request, clock.GetUtcNow());
        Report report;
        try
        {
            report = await workflow.RunAsync(submission, ReportPath.Sync, cancellationToken);
        }
        catch (IdempotencyConflictException)
        {
            return IdempotencyConflict(idempotencyKey!);
        }
        catch (LpCallException exception)
        {
            // The as-is path has no second chance: whatever LP said, the user waited and the report failed.
            await workflow.MarkFailedAsync(submission.Id, exception.Message, deadLettered: false, cancellationToken);
            telemetry.Failed(ReportPath.Sync);
            return LpFailed(submission.Id, exception.Message);
        }

        telemetry.Accepted(ReportPath.Sync, clock.GetElapsedTime(started));
        if (report.Status == ReportStatus.Failed)
        {
            return LpFailed(report.Id, report.LastError ?? "The report failed earlier.");
        }

        telemetry.Completed(report);
        return TypedResults.Ok(report.ToView());
    }

    public static async Task<Results<Accepted<AcceptedReport>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, HttpResponse response, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
        ReportPublisher publisher, StatusTokens tokens, PublishingOptions publishing, ReportsTelemetry telemetry,
        TimeProvider clock, LinkGenerator links, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var read = await SubmissionReader.ReadAsync(request, idempotencyKey, cancellationToken);
        if (!read.IsValid)
        {
            return Invalid<Accepted<AcceptedReport>>(read);
        }

        var acceptedAt = clock.GetUtcNow();
        var submission = ReportSubmitted.From(ReportIdentity.IdFor(read.Request!.ReporterId!, idempotencyKey), idempotencyKey, read.Request, acceptedAt);
        Activity.Current?.SetTag("report.id", submission.Id);

        if (!await publisher.PublishAsync(submission, cancellationToken))
        {
            response.Headers.RetryAfter = ((int)publishing.RetryAfter.TotalSeconds).ToString();
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The message broker is unavailable; nothing was accepted.",
                detail: "Retry after the indicated time with the same Idempotency-Key to keep one report.");
        }

        telemetry.Accepted(ReportPath.Async, clock.GetElapsedTime(started));
        var statusUrl = links.GetPathByName("GetReport", new { id = submission.Id, token = tokens.Issue(submission.Id, acceptedAt) })!;
        return TypedResults.Accepted(statusUrl, new AcceptedReport(submission.Id, ReportStatus.Accepted, acceptedAt, statusUrl));
    }

    public static async Task<Results<Ok<ReportView>, ProblemHttpResult>> GetReportAsync(
        Guid id, string? token, ReportsDbContext db, StatusTokens tokens, CancellationToken cancellationToken)
    {
        var report = await db.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is not null)
        {
            return TypedResults.Ok(report.ToView());
        }

        return tokens.Verify(id, token) is { } acceptedAt
            ? TypedResults.Ok(ReportViews.Accepted(id, acceptedAt))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such report.",
                detail: "Reports accepted moments ago are found with the token of their status URL.");
    }

    public static async Task<Ok<ReportView[]>> ListRecentAsync(ReportsDbContext db, int? limit, CancellationToken cancellationToken)
    {
        var take = Math.Clamp(limit ?? 20, 1, MaxListed);
        var reports = await db.Reports.AsNoTracking().OrderByDescending(r => r.UpdatedAt).Take(take).ToArrayAsync(cancellationToken);
        return TypedResults.Ok(reports.Select(report => report.ToView()).ToArray());
    }

    private static Results<TOk, ValidationProblem, ProblemHttpResult> Invalid<TOk>(SubmissionRead read) where TOk : IResult =>
        read.StatusCode == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(read.Errors, title: "The report has invalid fields.")
            : TypedResults.Problem(statusCode: read.StatusCode, title: read.Errors.Values.First()[0]);

    private static ProblemHttpResult IdempotencyConflict(string idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key was already used for a different report.",
            detail: $"Idempotency-Key '{idempotencyKey}' names an earlier submission of this reporter with other content; use a new key for a new report.",
            extensions: new Dictionary<string, object?> { ["idempotencyKey"] = idempotencyKey });

    private static ProblemHttpResult LpFailed(Guid reportId, string reason) =>
        TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The LP system failed the report.", detail: reason,
            extensions: new Dictionary<string, object?> { ["reportId"] = reportId });
}
