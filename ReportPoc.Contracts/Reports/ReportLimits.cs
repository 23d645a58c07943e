namespace ReportPoc.Contracts.Reports;

/// <summary>
/// The field limits of both POST endpoints as clients read them (GET /api/reports/limits), so the page checks
/// input with the server's numbers instead of repeating them. The shapes (allowed characters, the period's form)
/// are described by the rules in <see cref="SubmitReportRequest"/>; this carries the numbers and names.
/// </summary>
public sealed record ReportLimits(
    int ReporterIdMaxLength,
    int ReportTypeMaxLength,
    string PeriodFormat,
    int PeriodLength,
    int TitleMaxLength,
    int ContentMaxLength,
    string IdempotencyKeyHeader,
    int IdempotencyKeyMaxLength,
    long MaxBodyBytes)
{
    public static ReportLimits Current { get; } = new(
        ReportFieldLimits.ReporterIdMaxLength,
        ReportFieldLimits.ReportTypeMaxLength,
        ReportFieldLimits.PeriodFormat,
        ReportFieldLimits.PeriodLength,
        ReportFieldLimits.TitleMaxLength,
        ReportFieldLimits.ContentMaxLength,
        ReportHeaders.IdempotencyKey,
        ReportFieldLimits.IdempotencyKeyMaxLength,
        ReportFieldLimits.MaxBodyBytes);
}
