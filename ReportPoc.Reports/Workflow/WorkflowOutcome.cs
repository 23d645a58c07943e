using ReportPoc.Reports.Data;

namespace ReportPoc.Reports.Workflow;

/// <summary>
/// How one run of the workflow ended. Every expected end is an outcome, not an exception; each path decides what an
/// outcome means for its caller (docs/design.md, "Outcomes"). Only <see cref="Refused"/> is the report's fault.
/// </summary>
public abstract record WorkflowOutcome
{
    private WorkflowOutcome()
    {
    }

    /// <summary>LP ran the report (now, or under an earlier claim).</summary>
    public sealed record Completed(Report Report) : WorkflowOutcome;

    /// <summary>The report had ended Failed before this run.</summary>
    public sealed record Failed(Report Report) : WorkflowOutcome;

    /// <summary>LP refused the report (its own answer, nothing ran); the refusal is counted on <paramref name="Report"/>.</summary>
    public sealed record Refused(Report Report, string Reason) : WorkflowOutcome;

    /// <summary>A dependency (<see cref="Lp"/> or <see cref="Database"/>) could not be used; the report is unchanged and may be retried.</summary>
    public sealed record Unavailable(string Dependency, string Reason) : WorkflowOutcome
    {
        public const string Lp = "LP";
        public const string Database = "database";
    }

    /// <summary>LPRUN is claimed and may be running (here or elsewhere); this run stopped following it. Whoever continues follows it by lookup.</summary>
    public sealed record InProgressElsewhere(Guid ReportId, string Reason) : WorkflowOutcome;

    /// <summary>The Idempotency-Key names a report with other content; that report is left alone.</summary>
    public sealed record Conflict(Report Existing) : WorkflowOutcome;
}
