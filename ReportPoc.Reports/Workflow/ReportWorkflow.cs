using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Submissions;

namespace ReportPoc.Reports.Workflow;

/// <summary>
/// The report submission workflow, DB INSERT → LP setQueue → DB UPDATE → LP LPRUN, shared by the sync endpoint and
/// the processor so both paths run the same code. Any number of workers may run it for the same report at once (a
/// redelivery, a rebalance, the same Idempotency-Key on both paths): every write is conditional on the row version,
/// and LPRUN is called only by the worker whose claim on it the database accepted. Everyone else follows that run
/// through LP's lookup, so LP runs a report at most once.
/// </summary>
public sealed class ReportWorkflow(ReportsDbContext db, LpClient lp, TimeProvider clock, IOptions<WorkflowOptions> options, ILogger<ReportWorkflow> logger)
{
    /// <summary>How often one attempt queues a report again because LP lost its queue (409), before it gives up.</summary>
    private const int MaxRequeues = 3;

    private readonly WorkflowOptions _options = options.Value;

    /// <summary>
    /// Takes the report from wherever it stands to Completed. Returns it as stored: Completed, or Failed by an earlier
    /// attempt. Throws <see cref="LpCallException"/> when LP is unavailable or rejects the report (the caller decides
    /// what that means for the report), <see cref="IdempotencyConflictException"/> for a reused key, and the
    /// database's exceptions when it is unreachable.
    /// </summary>
    public async Task<Report> RunAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        Report report;
        using (ReportsTelemetry.StartStep("DB INSERT"))
        {
            report = await InsertOrLoadAsync(submission, path, cancellationToken);
        }

        var attempt = new AttemptState(_options, clock);
        while (!report.IsFinal)
        {
            try
            {
                report = await AdvanceAsync(report, attempt, cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker wrote the report since we read it: read it again and go on from what it says.
                report = await ReloadAsync(report.Id, cancellationToken);
            }
        }

        return report;
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
    /// Ends the report as Failed, unless it completed meanwhile. <paramref name="deadLettered"/>: its dead letter is
    /// durable (the processor publishes it first), so the report is marked as such; a report already Failed without
    /// that mark gets it.
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

    public async Task<Report?> FindAsync(Guid reportId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Reports.AsNoTracking().FirstOrDefaultAsync(report => report.Id == reportId, cancellationToken);
    }

    /// <summary>Takes the next step from where the report stands; returns the report to go on from.</summary>
    private async Task<Report> AdvanceAsync(Report report, AttemptState attempt, CancellationToken cancellationToken)
    {
        if (report.LpRunClaimId is not null)
        {
            using (ReportsTelemetry.StartStep("LP LPRUN"))
            {
                return await FollowClaimedRunAsync(report, attempt, cancellationToken);
            }
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

        // The queue id and the claim on LPRUN in one update, conditional on the row version: of two workers, one wins.
        var claim = Guid.NewGuid();
        using (ReportsTelemetry.StartStep("DB UPDATE"))
        {
            report.LpRunClaimId = claim;
            report.LpRunRequestedAt = clock.GetUtcNow();
            await SaveAsync(report, cancellationToken);
        }

        using (ReportsTelemetry.StartStep("LP LPRUN"))
        {
            return await RunClaimedAsync(report, claim, attempt, cancellationToken);
        }
    }

    private async Task<Report> RunClaimedAsync(Report report, Guid claim, AttemptState attempt, CancellationToken cancellationToken)
    {
        RunTicket run;
        try
        {
            run = await lp.RunAsync(report.Id, report.LpQueueId!, cancellationToken);
        }
        catch (LpCallException exception) when (!exception.MayHaveRun)
        {
            // LP answered, or was never reached: nothing runs under this claim. Give it back for a later attempt.
            var unknownQueue = exception.Failure == LpFailure.UnknownQueue;
            await ReleaseClaimAsync(report.Id, claim, forgetQueue: unknownQueue, cancellationToken);
            if (unknownQueue && ++attempt.Requeues <= MaxRequeues)
            {
                logger.LogWarning("Report {ReportId}: LP does not know its queue; queueing it again", report.Id);
                return await ReloadAsync(report.Id, cancellationToken);
            }

            throw;
        }

        if (run.Duplicate)
        {
            // Cannot happen while the claim holds; LP counts it, and this says where it came from.
            logger.LogError("Report {ReportId}: LP executed LPRUN a second time (run {RunId})", report.Id, run.RunId);
        }

        Complete(report, run.RunId, run.Pages);
        await SaveAsync(report, cancellationToken);
        return report;
    }

    /// <summary>
    /// Conditional on the claim, not on the row version: others may have written the row meanwhile (a redelivery counts
    /// an attempt), but only the claimant knows LP's answer, so only it may give the claim back.
    /// </summary>
    private async Task ReleaseClaimAsync(Guid reportId, Guid claim, bool forgetQueue, CancellationToken cancellationToken)
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

    /// <summary>Another worker (or an earlier attempt that got no answer) holds the claim: follow its run through LP's lookup.</summary>
    private async Task<Report> FollowClaimedRunAsync(Report report, AttemptState attempt, CancellationToken cancellationToken)
    {
        var run = await lp.FindRunAsync(report.Id, cancellationToken);
        if (run is { State: RunState.Completed })
        {
            logger.LogInformation("Report {ReportId}: LPRUN had been requested before; LP has run {RunId}", report.Id, run.RunId);
            Complete(report, run.RunId!, run.Pages!.Value);
            await SaveAsync(report, cancellationToken);
            return report;
        }

        var claimAge = clock.GetUtcNow() - report.LpRunRequestedAt!.Value;
        if (run is { State: RunState.Running } || claimAge < _options.RunClaimLease)
        {
            // Running, or not yet visible to LP while the claimant's call may still be on its way: look again shortly,
            // at the report too (the claimant may have finished it, or given the claim back).
            await attempt.WaitForRunAsync(report.Id, run?.State, cancellationToken);
            return await ReloadAsync(report.Id, cancellationToken);
        }

        // LP has no live run for the claim, and the claim is older than any LPRUN in transit: take it over.
        logger.LogWarning("Report {ReportId}: LP reports {State} for the LPRUN claimed {Age} ago; claiming it again",
            report.Id, run?.State.ToString() ?? "no run", claimAge);
        report.LpRunClaimId = null;
        await SaveAsync(report, cancellationToken);
        return report;
    }

    private void Complete(Report report, string runId, int pages)
    {
        report.Status = ReportStatus.Completed;
        report.CompletedAt = clock.GetUtcNow();
        report.LpRunId = runId;
        report.LpPages = pages;
        report.LastError = null;
    }

    private async Task<Report> InsertOrLoadAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        var fingerprint = ReportIdentity.FingerprintOf(submission.AsRequest());
        var traceId = Activity.Current?.TraceId.ToHexString();
        while (true)
        {
            db.ChangeTracker.Clear();
            var existing = await db.Reports.FindAsync([submission.Id], cancellationToken);
            if (existing is not null)
            {
                if (existing.Fingerprint is not null && existing.Fingerprint != fingerprint)
                {
                    throw new IdempotencyConflictException(existing);
                }

                if (existing.IsFinal)
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

    private async Task<Report> ReloadAsync(Guid reportId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.Reports.SingleAsync(report => report.Id == reportId, cancellationToken);
    }

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
                logger.LogDebug("Report {ReportId} changed concurrently; deciding again", reportId);
            }
        }
    }

    private async Task SaveAsync(Report report, CancellationToken cancellationToken)
    {
        report.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What one run of the workflow remembers between its steps.</summary>
    private sealed class AttemptState(WorkflowOptions options, TimeProvider clock)
    {
        private readonly long _startedAt = clock.GetTimestamp();
        private TimeSpan _lookupInterval = options.RunLookupInterval;

        public int Requeues { get; set; }

        /// <summary>Waits before the next run lookup, backing off; past RunLookupTimeout the attempt ends as "LP unavailable".</summary>
        public async Task WaitForRunAsync(Guid reportId, RunState? state, CancellationToken cancellationToken)
        {
            if (clock.GetElapsedTime(_startedAt) > options.RunLookupTimeout)
            {
                throw new LpCallException("run lookup", LpFailure.Unavailable,
                    $"report {reportId}'s LPRUN is still {state?.ToString().ToLowerInvariant() ?? "not visible"} after {options.RunLookupTimeout}");
            }

            await Task.Delay(_lookupInterval, clock, cancellationToken);
            _lookupInterval = TimeSpan.FromTicks(Math.Min(_lookupInterval.Ticks * 2, options.RunLookupMaxInterval.Ticks));
        }
    }
}
