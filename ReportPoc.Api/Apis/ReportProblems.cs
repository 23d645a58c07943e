using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Apis;

/// <summary>
/// Every problem the report endpoints answer with, in one place: the titles and fixed details clients see (docs/design.md
/// §3), with what went wrong inside kept for the operators' traces.
/// </summary>
public static class ReportProblems
{
    public static Results<TOk, ValidationProblem, ProblemHttpResult> Invalid<TOk>(SubmissionRead read) where TOk : IResult =>
        read.StatusCode == StatusCodes.Status400BadRequest
            ? TypedResults.ValidationProblem(read.Errors, title: "The report has invalid fields.")
            : TypedResults.Problem(statusCode: read.StatusCode, title: read.Errors.Values.First()[0]);

    public static ProblemHttpResult IdempotencyConflict(string idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The Idempotency-Key was already used for a different report.",
            detail: $"Idempotency-Key '{idempotencyKey}' names an earlier submission of this reporter with other content; use a new key for a new report.",
            extensions: new Dictionary<string, object?> { ["idempotencyKey"] = idempotencyKey });

    public static ProblemHttpResult NotAccepted(string? idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The message broker is unavailable; nothing was accepted.",
            detail: idempotencyKey is null
                ? "Nothing reached the broker, so sending again after the indicated time cannot create a second report."
                : "Send again after the indicated time with the same Idempotency-Key.");

    public static ProblemHttpResult LogFull(PublishingOptions publishing) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The message broker cannot hold more unread reports now; nothing was accepted.",
            detail: $"Local mode's in-memory broker keeps at most {publishing.PartitionLogBytes:N0} bytes of unread reports per partition and would " +
                    "drop the oldest beyond that. Send again after the indicated time, once the processors have caught up.",
            extensions: new Dictionary<string, object?> { ["partitionLogBytes"] = publishing.PartitionLogBytes });

    public static ProblemHttpResult OutcomeUnknown(Guid id, string statusUrl, string? idempotencyKey) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The outcome is unknown: the report may have been accepted.",
            detail: idempotencyKey is null
                ? "The broker did not confirm the submission in time. This request had no Idempotency-Key, so sending it again may create a " +
                  "second report: check the status URL first."
                : "The broker did not confirm the submission in time. Check the status URL, or send again with the same Idempotency-Key: " +
                  "it names the same report, which is processed once.",
            extensions: new Dictionary<string, object?> { ["reportId"] = id, ["statusUrl"] = statusUrl });

    public static ProblemHttpResult LpFailed(Guid reportId, string reason, string statusUrl)
    {
        // The reason (LP's answer, the HTTP client's error with host and port) is the operators': the trace keeps it.
        Activity.Current?.SetTag("report.lp_error", reason);
        return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The LP system failed the report.", detail: ReportErrors.SyncLpFailed,
            extensions: new Dictionary<string, object?> { ["reportId"] = reportId, ["statusUrl"] = statusUrl });
    }

    public static ProblemHttpResult NotFinished(int status, string title, string reason, Guid reportId, string statusUrl)
    {
        // As for LpFailed: what went wrong (LP's answer, hosts and ports) is the operators', in the trace.
        Activity.Current?.SetTag("report.unfinished_reason", reason);
        return TypedResults.Problem(statusCode: status, title: title, detail: ReportErrors.SyncNotFinished,
            extensions: new Dictionary<string, object?> { ["reportId"] = reportId, ["statusUrl"] = statusUrl });
    }

    public static ProblemHttpResult NotFound(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: title, detail: detail);
}
