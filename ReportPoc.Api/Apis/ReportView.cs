using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Apis;

/// <summary>When each step of the workflow happened; null for steps not reached yet.</summary>
public sealed record ReportTimestamps(
    DateTimeOffset AcceptedAt,
    DateTimeOffset? InsertedAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? LpRunRequestedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? FailedAt);

/// <summary>A report's status as clients see it. Status: Accepted | Running | Completed | Failed; path: sync | async.</summary>
public sealed record ReportView(
    Guid Id,
    string Status,
    string Path,
    string? ReporterId,
    string? ReportType,
    string? Period,
    string? Title,
    ReportTimestamps Timestamps,
    int Attempts,
    string? LastError,
    string? LpQueueId,
    string? LpRunId,
    int? LpPages,
    string? TraceId)
{
    public static ReportView From(Report report) => new(
        report.Id,
        report.Status.ToString(),
        PathName(report.Path),
        report.ReporterId,
        report.ReportType,
        report.Period,
        report.Title,
        new ReportTimestamps(report.AcceptedAt, report.InsertedAt, report.QueuedAt, report.LpRunRequestedAt, report.CompletedAt, report.FailedAt),
        report.Attempts,
        report.LastError,
        report.LpQueueId,
        report.LpRunId,
        report.LpPages,
        report.TraceId);

    /// <summary>Accepted by the async path, not yet picked up by the processor: all we know is when.</summary>
    public static ReportView Accepted(Guid id, DateTimeOffset acceptedAt) => new(
        id, nameof(ReportStatus.Accepted), PathName(ReportPath.Async), null, null, null, null,
        new ReportTimestamps(acceptedAt, null, null, null, null, null), 0, null, null, null, null, null);

    private static string PathName(ReportPath path) => path == ReportPath.Sync ? "sync" : "async";
}

/// <summary>The 202 body of the async path.</summary>
public sealed record AcceptedReport(Guid Id, string Status, DateTimeOffset AcceptedAt, string StatusUrl);
