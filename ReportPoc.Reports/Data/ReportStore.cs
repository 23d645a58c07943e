using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.Reports.Data;

/// <summary>
/// Every write to a report row, and the rules for who may make it (docs/design.md, "Report states"). Writes are
/// conditional: on the row version (a stale writer loses), or on the LPRUN claim (only its holder gives it back). The
/// LPRUN lease is timed by the database's clock, never a caller's, so skewed or paused hosts agree on its age.
/// </summary>
public sealed class ReportStore(ReportsDbContext db, TimeProvider clock)
{
    /// <summary>The row for this submission: inserted, or the stored one with one more attempt. A reused key's row is returned untouched.</summary>
    public async Task<Report> InsertOrLoadAsync(ReportSubmitted submission, ReportPath path, string fingerprint, CancellationToken cancellationToken)
    {
        var traceId = Activity.Current?.TraceId.ToHexString();
        while (true)
        {
            db.ChangeTracker.Clear();
            var existing = await db.Reports.FindAsync([submission.Id], cancellationToken);
            if (existing is not null)
            {
                if (IsConflict(existing, fingerprint) || existing.IsFinal)
                {
                    return existing;
                }

                existing.Attempts++;
                existing.TraceId = traceId ?? existing.TraceId;
                try
                {
                    await SaveAsync(existing, cancellationToken);
                    return existing;
                }
                catch (DbUpdateConcurrencyException)
                {
                    continue;
                }
            }

            var now = clock.GetUtcNow();
            var report = new Report
            {
                Id = submission.Id,
                Path = path,
                Status = ReportStatus.Running,
                IdempotencyKey = submission.IdempotencyKey,
                Fingerprint = fingerprint,
                ReporterId = submission.ReporterId,
                ReportType = submission.ReportType,
                Period = submission.Period,
                Title = submission.Title,
                Content = submission.Content,
                AcceptedAt = submission.AcceptedAt,
                InsertedAt = now,
                UpdatedAt = now,
                Attempts = 1,
                TraceId = traceId,
            };
            db.Reports.Add(report);

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return report;
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Inserted concurrently by another worker (same Idempotency-Key, or a redelivery): continue with that row.
            }
        }
    }

    public static bool IsConflict(Report stored, string fingerprint) => stored.Fingerprint is not null && stored.Fingerprint != fingerprint;

    public async Task<Report?> FindAsync(Guid reportId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Reports.AsNoTracking().FirstOrDefaultAsync(report => report.Id == reportId, cancellationToken);
    }

    public async Task<Report> ReloadAsync(Guid reportId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Reports.SingleAsync(report => report.Id == reportId, cancellationToken);
    }

    /// <summary>Saves a tracked report, conditional on its version: throws DbUpdateConcurrencyException when another wrote it meanwhile.</summary>
    public async Task SaveAsync(Report report, CancellationToken cancellationToken)
    {
        report.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Claims LPRUN for the report as read (same version, no claim): true for exactly one of any number of racing
    /// workers. The claim's sequence number goes up by one; it is the fencing token the LPRUN call carries, so LP can
    /// refuse a call from an earlier holder. Its time is the database's.
    /// </summary>
    public async Task<bool> TryClaimRunAsync(Report report, Guid claim, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var version = report.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE reports SET "LpRunClaimId" = {claim}, "LpRunClaimSequence" = "LpRunClaimSequence" + 1,
                "LpRunRequestedAt" = now(), "LpQueueId" = {report.LpQueueId}, "QueuedAt" = {report.QueuedAt}, "UpdatedAt" = {clock.GetUtcNow()}
            WHERE "Id" = {report.Id} AND "LpRunClaimId" IS NULL AND xmin::text = {version} AND "Status" = {nameof(ReportStatus.Running)}
            """, cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// Ends a claim whose lease has run out by the database's clock (LP knows of no live run for it): true when this
    /// caller ended it. Conditional on the claim, so of two followers only one takes it over.
    /// </summary>
    public async Task<bool> TryExpireClaimAsync(Guid reportId, Guid claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE reports SET "LpRunClaimId" = NULL, "UpdatedAt" = {clock.GetUtcNow()}
            WHERE "Id" = {reportId} AND "LpRunClaimId" = {claim} AND "LpRunRequestedAt" <= now() - {lease}
            """, cancellationToken);
        return updated == 1;
    }

    /// <summary>
    /// Gives a claim back after LP proved nothing runs under it. Conditional on the claim, not on the row version:
    /// others may have written the row meanwhile, but only the claimant knows LP's answer.
    /// </summary>
    public async Task ReleaseClaimAsync(Guid reportId, Guid claim, bool forgetQueue, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var claimed = db.Reports.Where(report => report.Id == reportId && report.LpRunClaimId == claim);
        db.ChangeTracker.Clear();
        if (forgetQueue)
        {
            await claimed.ExecuteUpdateAsync(set => set
                .SetProperty(report => report.LpRunClaimId, (Guid?)null)
                .SetProperty(report => report.LpQueueId, (string?)null)
                .SetProperty(report => report.QueuedAt, (DateTimeOffset?)null)
                .SetProperty(report => report.UpdatedAt, now), cancellationToken);
        }
        else
        {
            await claimed.ExecuteUpdateAsync(set => set
                .SetProperty(report => report.LpRunClaimId, (Guid?)null)
                .SetProperty(report => report.UpdatedAt, now), cancellationToken);
        }
    }

    /// <summary>LP refused the report once more. Returns the report as stored, or null when it is unknown.</summary>
    public Task<Report?> RecordRejectionAsync(Guid reportId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(reportId, report =>
        {
            if (report.IsFinal)
            {
                return false;
            }

            report.RejectedAttempts++;
            report.LastError = reason;
            return true;
        }, cancellationToken);

    /// <summary>Notes why the report waits (not counted against it); written once per reason.</summary>
    public Task<Report?> RecordWaitAsync(Guid reportId, string reason, CancellationToken cancellationToken) =>
        UpdateAsync(reportId, report =>
        {
            if (report.IsFinal || report.LastError == reason)
            {
                return false;
            }

            report.LastError = reason;
            return true;
        }, cancellationToken);

    /// <summary>
    /// Ends the report as Failed, unless it completed meanwhile. Only a path's verdict calls this: LP refused the
    /// report, or the owning (async) path spent its attempts; never a caller that merely could not finish. <paramref name="deadLettered"/>: its dead letter is durable (the processor publishes it first).
    /// </summary>
    public Task<Report?> MarkFailedAsync(Guid reportId, string reason, bool deadLettered, CancellationToken cancellationToken) =>
        UpdateAsync(reportId, report =>
        {
            var now = clock.GetUtcNow();
            switch (report.Status)
            {
                case ReportStatus.Completed:
                    return false;
                case ReportStatus.Failed:
                    if (!deadLettered || report.DeadLetteredAt is not null)
                    {
                        return false;
                    }

                    report.DeadLetteredAt = now;
                    return true;
                default:
                    report.Status = ReportStatus.Failed;
                    report.FailedAt = now;
                    report.LastError = reason;
                    report.DeadLetteredAt = deadLettered ? now : null;
                    return true;
            }
        }, cancellationToken);

    /// <summary>Applies <paramref name="change"/> to the stored report and saves it; on a concurrent write, reads and decides again.</summary>
    private async Task<Report?> UpdateAsync(Guid reportId, Func<Report, bool> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            db.ChangeTracker.Clear();
            var report = await db.Reports.FindAsync([reportId], cancellationToken);
            if (report is null || !change(report))
            {
                return report;
            }

            try
            {
                await SaveAsync(report, cancellationToken);
                return report;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Changed concurrently: decide again on what is stored now.
            }
        }
    }
}
