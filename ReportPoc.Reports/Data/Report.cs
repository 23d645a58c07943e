using ReportPoc.Contracts.Reports;

namespace ReportPoc.Reports.Data;

/// <summary>One row per report, written by whichever path runs the workflow; each step leaves its timestamp.</summary>
public sealed class Report
{
    public Guid Id { get; set; }
    public ReportPath Path { get; set; }
    public ReportStatus Status { get; set; }
    public string? IdempotencyKey { get; set; }

    /// <summary>Hash of the submitted fields: tells a repeat of the same request from a reuse of its key (ReportIdentity.FingerprintOf; docs/design.md §4.2).</summary>
    public string? Fingerprint { get; set; }

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
    public DateTimeOffset? DeadLetteredAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How often a path started working on the report, outages and redeliveries included.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts LP refused; only these count against the processor's limit.</summary>
    public int RejectedAttempts { get; set; }

    public string? LastError { get; set; }

    public string? LpQueueId { get; set; }

    /// <summary>
    /// Who may call LPRUN for this report: set by a conditional update that exactly one worker wins, cleared only when
    /// LP has answered that nothing runs for it. While it is set, everyone else asks LP's lookup instead of calling LPRUN.
    /// </summary>
    public Guid? LpRunClaimId { get; set; }

    /// <summary>
    /// Goes up by one with every claim: the fencing token the LPRUN call carries, so LP refuses a call from a holder
    /// whose claim was taken over (docs/design.md, "At most one LPRUN").
    /// </summary>
    public long LpRunClaimSequence { get; set; }

    public string? LpRunId { get; set; }
    public int? LpPages { get; set; }

    /// <summary>The trace that ran the workflow, so a person can jump from a report to its trace.</summary>
    public string? TraceId { get; set; }

    /// <summary>PostgreSQL's xmin: every update is conditional on it, so a stale writer loses instead of overwriting.</summary>
    public uint Version { get; set; }

    public bool IsFinal => Status is ReportStatus.Completed or ReportStatus.Failed;

    /// <summary>The submitted fields, as a request (e.g. to fingerprint a row stored before fingerprints existed).</summary>
    public SubmitReportRequest AsRequest() => new(ReporterId, ReportType, Period, Title, Content);
}
