using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.Reports.Workflow;

/// <summary>
/// The report submission workflow, DB INSERT → LP setQueue → DB UPDATE → LP LPRUN, shared by the sync endpoint and
/// the processor so both paths run the same code. Every step is idempotent: running it again for the same report
/// (a redelivered message, a retry, a repeated Idempotency-Key) continues from the last durable step and never
/// calls LPRUN twice.
/// </summary>
public sealed class ReportWorkflow(ReportsDbContext db, LpClient lp, TimeProvider clock, ILogger<ReportWorkflow> logger)
{
    private static readonly TimeSpan RunLookupInterval = TimeSpan.FromMilliseconds(200);

    public async Task<Report> RunAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        Report report;
        using (ReportsTelemetry.StartStep("DB INSERT"))
        {
            report = await InsertOrLoadAsync(submission, path, cancellationToken);
        }

        if (report.Status is ReportStatus.Completed or ReportStatus.Failed)
        {
            logger.LogInformation("Report {ReportId} is already {Status}; nothing to repeat", report.Id, report.Status);
            return report;
        }

        if (report.LpQueueId is null)
        {
            using (ReportsTelemetry.StartStep("LP setQueue"))
            {
                var ticket = await lp.SetQueueAsync(report.Id, report.ReportType, cancellationToken);
                report.LpQueueId = ticket.QueueId;
                report.QueuedAt = clock.GetUtcNow();
            }
        }

        // LPRUN is the one step that must not repeat: remember that it was requested before requesting it, so a
        // crash between the call and its answer is reconciled with LP's lookup instead of a second LPRUN.
        var runRequestedBefore = report.LpRunRequestedAt is not null;
        using (ReportsTelemetry.StartStep("DB UPDATE"))
        {
            report.LpRunRequestedAt ??= clock.GetUtcNow();
            await SaveAsync(report, cancellationToken);
        }

        using (ReportsTelemetry.StartStep("LP LPRUN"))
        {
            var earlierRun = runRequestedBefore ? await FindEarlierRunAsync(report.Id, cancellationToken) : null;
            if (earlierRun is not null)
            {
                report.LpRunId = earlierRun.RunId;
                report.LpPages = earlierRun.Pages;
            }
            else
            {
                var run = await lp.RunAsync(report.Id, report.LpQueueId, cancellationToken);
                report.LpRunId = run.RunId;
                report.LpPages = run.Pages;
            }
        }

        report.Status = ReportStatus.Completed;
        report.CompletedAt = clock.GetUtcNow();
        report.LastError = null;
        await SaveAsync(report, cancellationToken);
        return report;
    }

    /// <summary>Records a failed attempt; <paramref name="final"/> ends the report as Failed with that reason.</summary>
    public async Task RecordFailureAsync(Guid reportId, string reason, bool final, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var report = await db.Reports.FindAsync([reportId], cancellationToken);
        if (report is null || report.Status == ReportStatus.Completed)
        {
            return;
        }

        report.LastError = reason;
        if (final)
        {
            report.Status = ReportStatus.Failed;
            report.FailedAt = clock.GetUtcNow();
        }

        await SaveAsync(report, cancellationToken);
    }

    private async Task<Report> InsertOrLoadAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        var existing = await db.Reports.FindAsync([submission.Id], cancellationToken);
        if (existing is not null)
        {
            if (existing.Status is not (ReportStatus.Completed or ReportStatus.Failed))
            {
                existing.Attempts++;
                existing.TraceId = Activity.Current?.TraceId.ToHexString();
            }

            return existing;
        }

        var now = clock.GetUtcNow();
        var report = new Report
        {
            Id = submission.Id,
            Path = path,
            Status = ReportStatus.Running,
            IdempotencyKey = submission.IdempotencyKey,
            ReporterId = submission.ReporterId,
            ReportType = submission.ReportType,
            Period = submission.Period,
            Title = submission.Title,
            Content = submission.Content,
            AcceptedAt = submission.AcceptedAt,
            InsertedAt = now,
            UpdatedAt = now,
            Attempts = 1,
            TraceId = Activity.Current?.TraceId.ToHexString(),
        };
        db.Reports.Add(report);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return report;
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // The same report was inserted concurrently (same Idempotency-Key on two requests): continue with that row.
            db.ChangeTracker.Clear();
            return await InsertOrLoadAsync(submission, path, cancellationToken);
        }
    }

    private async Task<LpRunState?> FindEarlierRunAsync(Guid reportId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var earlier = await lp.FindRunAsync(reportId, cancellationToken);
            if (earlier is null || earlier.IsCompleted)
            {
                logger.LogInformation("Report {ReportId}: LPRUN had been requested before; LP reports {State}",
                    reportId, earlier?.State ?? "no run");
                return earlier;
            }

            if (!earlier.IsRunning)
            {
                return null;
            }

            await Task.Delay(RunLookupInterval, clock, cancellationToken);
        }
    }

    private async Task SaveAsync(Report report, CancellationToken cancellationToken)
    {
        report.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }
}
