using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>Rejected is failed (docs/design.md §5.4): only LP refusing the report itself spends attempts; then dead letter first, Failed second.</summary>
public sealed class LpRejectionTests(ReportPocApp system)
{
    /// <summary>Processing:MaxRejectedAttempts in the suite's app (its default).</summary>
    private const int MaxRejectedAttempts = 3;

    [Fact]
    public async Task AReportLpRefusesIsDeadLetteredAndFailedAfterItsAttempts()
    {
        await system.Lp.SetFaultsAsync(new LpFaults(RejectRate: 1));
        ReportView report;
        try
        {
            var accepted = await system.Api.SubmitAsyncReportAsync();
            report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1));
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        Assert.Equal(ReportStatus.Failed, report.Status);
        Assert.Equal(ReportErrors.Rejected, report.LastError); // LP's answer itself is the operators' (logs, trace, row)
        var ledger = await system.Lp.LedgerForAsync(report.Id);
        Assert.NotNull(ledger);
        Assert.Equal(MaxRejectedAttempts, ledger.Rejections);
        Assert.Equal(0, ledger.RunExecutions);

        var deadLetter = await DeadLetters.FindAsync(await system.KafkaBootstrapServersAsync(), report.Id);
        Assert.Equal(DeadLetterReasons.Rejected, deadLetter.Header(DeadLetterHeaders.Reason));
        // Dead letter first, Failed second: the report was marked Failed only after the broker had its dead letter.
        Assert.True(deadLetter.Message.Timestamp.UtcDateTime <= report.Timestamps.FailedAt!.Value.UtcDateTime.AddMilliseconds(1),
            $"dead letter at {deadLetter.Message.Timestamp.UtcDateTime:O}, Failed at {report.Timestamps.FailedAt:O}");
    }
}
