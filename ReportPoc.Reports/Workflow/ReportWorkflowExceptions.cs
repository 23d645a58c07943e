using ReportPoc.Reports.Data;

namespace ReportPoc.Reports.Workflow;

/// <summary>
/// The submission's Idempotency-Key already names a report with different content: a reused key, never a repeat.
/// The existing report is left alone.
/// </summary>
public sealed class IdempotencyConflictException(Report existing)
    : Exception($"Idempotency-Key '{existing.IdempotencyKey}' already names report {existing.Id} with different content.")
{
    public Report Existing { get; } = existing;
}
