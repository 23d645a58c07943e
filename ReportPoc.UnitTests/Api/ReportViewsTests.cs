using ReportPoc.Api.Apis;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;

namespace ReportPoc.UnitTests.Api;

/// <summary>What a client reads of a report's last error: one fixed text per situation, never the stored error.</summary>
public sealed class ReportViewsTests
{
    private const string Internal = "HttpRequestException: Connection refused (localhost:5198)";

    public static TheoryData<ReportStatus, ReportPath, int, string?> Situations() => new()
    {
        { ReportStatus.Failed, ReportPath.Sync, 0, ReportErrors.SyncLpFailed },
        { ReportStatus.Failed, ReportPath.Async, 3, ReportErrors.Rejected },
        { ReportStatus.Failed, ReportPath.Async, 0, ReportErrors.NotProcessed },
        { ReportStatus.Running, ReportPath.Async, 1, ReportErrors.RejectedRetrying },
        { ReportStatus.Running, ReportPath.Async, 0, ReportErrors.Waiting },
        { ReportStatus.Completed, ReportPath.Async, 0, null },
    };

    [Theory]
    [MemberData(nameof(Situations))]
    public void TheLastErrorIsAFixedTextThatCarriesNothingOfTheStoredError(ReportStatus status, ReportPath path, int rejectedAttempts, string? expected)
    {
        var view = Report(status, path, rejectedAttempts, Internal).ToView();

        Assert.Equal(expected, view.LastError);
    }

    [Fact]
    public void AReportWithoutAnErrorShowsNone() =>
        Assert.Null(Report(ReportStatus.Running, ReportPath.Async, 0, lastError: null).ToView().LastError);

    private static Report Report(ReportStatus status, ReportPath path, int rejectedAttempts, string? lastError) => new()
    {
        Id = Guid.NewGuid(), Status = status, Path = path, RejectedAttempts = rejectedAttempts, LastError = lastError,
        ReporterId = "r-1", ReportType = "monthly", Period = "2026-11", Title = "T", Content = "C",
    };
}
