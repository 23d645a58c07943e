using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Apis;

/// <summary>How a stored report (or one only vouched for by its status token) is shown to clients.</summary>
public static class ReportViews
{
    public static ReportView ToView(this Report report) => new()
    {
        Id = report.Id,
        Status = report.Status,
        Path = report.Path,
        ReporterId = report.ReporterId,
        ReportType = report.ReportType,
        Period = report.Period,
        Title = report.Title,
        Timestamps = new ReportTimestamps
        {
            AcceptedAt = report.AcceptedAt,
            InsertedAt = report.InsertedAt,
            QueuedAt = report.QueuedAt,
            LpRunRequestedAt = report.LpRunRequestedAt,
            CompletedAt = report.CompletedAt,
            FailedAt = report.FailedAt,
        },
        Attempts = report.Attempts,
        LastError = LastErrorFor(report),
        LpQueueId = report.LpQueueId,
        LpRunId = report.LpRunId,
        LpPages = report.LpPages,
        TraceId = report.TraceId,
    };

    /// <summary>A fixed text per situation; the stored error (LP's answer, an exception) is the operators' (ReportErrors).</summary>
    private static string? LastErrorFor(Report report) => report switch
    {
        { LastError: null } or { Status: ReportStatus.Completed } => null,
        { Status: ReportStatus.Failed, Path: ReportPath.Sync, RejectedAttempts: 0 } => ReportErrors.SyncLpFailed,
        { Status: ReportStatus.Failed, RejectedAttempts: > 0 } => ReportErrors.Rejected,
        { Status: ReportStatus.Failed } => ReportErrors.NotProcessed,
        { RejectedAttempts: > 0 } => ReportErrors.RejectedRetrying,
        _ => ReportErrors.Waiting,
    };

    /// <summary>
    /// The reader's submission reused an Idempotency-Key that names another report: say so, and show nothing of the
    /// other report (it belongs to that submission, not to this reader's).
    /// </summary>
    public static ReportView Conflict(Guid id, DateTimeOffset acceptedAt) => new()
    {
        Id = id,
        Status = ReportStatus.Conflict,
        Path = ReportPath.Async,
        Timestamps = new ReportTimestamps { AcceptedAt = acceptedAt },
        LastError = "The Idempotency-Key of this submission names another report of the same reporter with other content: " +
            "this submission is not processed (it is dead-lettered with reason idempotency-conflict). Use a new key for a new report.",
    };

    /// <summary>Accepted by the async path, not yet picked up by a processor: all we know is when.</summary>
    public static ReportView Accepted(Guid id, DateTimeOffset acceptedAt) => new()
    {
        Id = id,
        Status = ReportStatus.Accepted,
        Path = ReportPath.Async,
        Timestamps = new ReportTimestamps { AcceptedAt = acceptedAt },
    };
}
