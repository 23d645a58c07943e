namespace ReportPoc.Reports.Data;

public enum ReportStatus
{
    Accepted,
    Running,
    Completed,
    Failed,
}

public enum ReportPath
{
    Sync,
    Async,
}

/// <summary>One row per report, written by whichever path runs the workflow; each step leaves its timestamp.</summary>
public sealed class Report
{
    public Guid Id { get; set; }
    public ReportPath Path { get; set; }
    public ReportStatus Status { get; set; }
    public string? IdempotencyKey { get; set; }

    public required string ReporterId { get; set; }
    public required string ReportType { get; set; }
    public required string Period { get; set; }
    public required string Title { get; set; }
    public required string Content { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }
    public DateTimeOffset InsertedAt { get; set; }
    public DateTimeOffset? QueuedAt { get; set; }
    public DateTimeOffset? LpRunRequestedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public int Attempts { get; set; }
    public string? LastError { get; set; }

    public string? LpQueueId { get; set; }
    public string? LpRunId { get; set; }
    public int? LpPages { get; set; }

    /// <summary>The trace that ran the workflow, so a person can jump from a report to its trace.</summary>
    public string? TraceId { get; set; }
}
