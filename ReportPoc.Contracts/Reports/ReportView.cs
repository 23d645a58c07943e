using System.Text.Json.Serialization;

namespace ReportPoc.Contracts.Reports;

/// <summary>
/// Where a report stands. Accepted: on Kafka, not yet picked up; Running: a path is working on it. Conflict: the
/// reader's submission reused an Idempotency-Key that names another report of the same reporter, so it will never be
/// processed (it is dead-lettered with reason idempotency-conflict); the other report is not shown.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportStatus>))]
public enum ReportStatus
{
    Accepted,
    Running,
    Completed,
    Failed,
    Conflict,
}

/// <summary>Which path created the report: the as-is sync endpoint or the to-be async one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportPath>))]
public enum ReportPath
{
    [JsonStringEnumMemberName("sync")] Sync,
    [JsonStringEnumMemberName("async")] Async,
}

/// <summary>When each step of the workflow happened; null for steps not reached yet.</summary>
public sealed record ReportTimestamps
{
    public required DateTimeOffset AcceptedAt { get; init; }
    public DateTimeOffset? InsertedAt { get; init; }
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? LpRunRequestedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
}

/// <summary>A report's status as clients see it (GET /api/reports/{id}, and the sync path's answer).</summary>
public sealed record ReportView
{
    public required Guid Id { get; init; }
    public required ReportStatus Status { get; init; }
    public required ReportPath Path { get; init; }
    public string? ReporterId { get; init; }
    public string? ReportType { get; init; }
    public string? Period { get; init; }
    public string? Title { get; init; }
    public required ReportTimestamps Timestamps { get; init; }

    /// <summary>How often a path started working on the report (redeliveries and retries after an outage included).</summary>
    public int Attempts { get; init; }

    public string? LastError { get; init; }
    public string? LpQueueId { get; init; }
    public string? LpRunId { get; init; }
    public int? LpPages { get; init; }

    /// <summary>The trace that ran the workflow, so a person can jump from a report to its trace.</summary>
    public string? TraceId { get; init; }

    /// <summary>Where to read this report again (with its token); set on the sync answer and the demo list.</summary>
    public string? StatusUrl { get; init; }

    [JsonIgnore]
    public bool IsFinal => Status is ReportStatus.Completed or ReportStatus.Failed or ReportStatus.Conflict;
}

/// <summary>The 202 body of the async path: Accepted for a new submission; a repeat answers with the report's current status.</summary>
public sealed record AcceptedReport(Guid Id, ReportStatus Status, DateTimeOffset AcceptedAt, string StatusUrl);

/// <summary>HTTP header names of the reports API.</summary>
public static class ReportHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
}
