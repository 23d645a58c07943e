using ReportPoc.Contracts;
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

    /// <summary>How long the report is watched once its end is decided: far more than marking a row takes.</summary>
    private static readonly TimeSpan Held = TimeSpan.FromSeconds(2);

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

    [Fact]
    public async Task AReportLpRefusesIsNotFailedUntilTheBrokerHasAcknowledgedItsDeadLetter()
    {
        using var broker = system.StandInClient(ResourceNames.DevBroker);
        // Each setQueue takes about a second before LP refuses, so the broker is down well before the last refusal.
        await system.Lp.SetFaultsAsync(new LpFaults(RejectRate: 1, SlowdownFactor: 50));
        ReportView report;
        DateTimeOffset brokerUpRequested;
        try
        {
            var accepted = await system.Api.SubmitAsyncReportAsync();
            await Eventually.TrueAsync(async () => await system.Lp.LedgerForAsync(accepted.Id) is { SetQueueCalls: > 0 }, TimeSpan.FromSeconds(30));
            (await broker.PostAsync("/broker/down", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
            try
            {
                // The report's end is decided (LP refused its last attempt) while no broker can take its dead letter.
                await Eventually.TrueAsync(async () => await system.Lp.LedgerForAsync(accepted.Id) is { Rejections: >= MaxRejectedAttempts },
                    TimeSpan.FromSeconds(20));
                var decided = DateTime.UtcNow;
                while (DateTime.UtcNow - decided < Held)
                {
                    using var status = await system.Api.GetAsync(accepted.StatusUrl, TestContext.Current.CancellationToken);
                    var held = await status.ReadReportAsync();
                    Assert.True(held.Status != ReportStatus.Failed, $"Failed at {held.Timestamps.FailedAt:O}, before the broker could have its dead letter");
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                }
            }
            finally
            {
                // Within the consumer's session (10 s), so the processor keeps the message and finishes it itself.
                brokerUpRequested = DateTimeOffset.UtcNow;
                (await broker.PostAsync("/broker/up", null, CancellationToken.None)).EnsureSuccessStatusCode();
            }

            report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1));
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        await system.UntilTheApiAcceptsAgainAsync();
        Assert.Equal(ReportStatus.Failed, report.Status);
        Assert.True(report.Timestamps.FailedAt >= brokerUpRequested,
            $"Failed at {report.Timestamps.FailedAt:O}, before the broker came back at {brokerUpRequested:O}");
        var deadLetter = await DeadLetters.FindAsync(await system.KafkaBootstrapServersAsync(), report.Id);
        Assert.Equal(DeadLetterReasons.Rejected, deadLetter.Header(DeadLetterHeaders.Reason));
    }
}
