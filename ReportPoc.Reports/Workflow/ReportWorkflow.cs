using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
/// redelivery, a rebalance, the same Idempotency-Key on both paths): every write is conditional (see
/// <see cref="ReportStore"/>), and LPRUN is called only by the worker whose claim the database accepted, with the
/// claim's fencing token. Everyone else, and the claimant itself after an answer that proves nothing, follows that run
/// through LP's lookup, so LP runs a report at most once. It never marks a report Failed: that is a path's verdict.
/// </summary>
public sealed class ReportWorkflow(ReportStore store, LpClient lp, TimeProvider clock, IOptions<WorkflowOptions> options, ILogger<ReportWorkflow> logger)
{
    /// <summary>How often one attempt queues a report again because LP lost its queue (409), before it gives up.</summary>
    private const int MaxRequeues = 3;

    private readonly WorkflowOptions _options = options.Value;

    /// <summary>
    /// Takes the report from wherever it stands towards Completed, and says how far it got. Throws only for the
    /// unexpected (a bug, a database error that is not an outage) and for cancellation.
    /// </summary>
    public async Task<WorkflowOutcome> RunAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        try
        {
            return await RunStepsAsync(submission, path, cancellationToken);
        }
        catch (LpCallException exception) when (exception.Failure == LpFailure.Rejected)
        {
            var refused = await store.RecordRejectionAsync(submission.Id, exception.Message, cancellationToken);
            return refused is { IsFinal: false }
                ? new WorkflowOutcome.Refused(refused, exception.Message)
                : Ended(refused!);
        }
        catch (LpCallException exception)
        {
            return new WorkflowOutcome.Unavailable(WorkflowOutcome.Unavailable.Lp, exception.Message);
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
        {
            return new WorkflowOutcome.Unavailable(WorkflowOutcome.Unavailable.Database, exception.Message);
        }
    }

    private async Task<WorkflowOutcome> RunStepsAsync(ReportSubmitted submission, ReportPath path, CancellationToken cancellationToken)
    {
        var fingerprint = ReportIdentity.FingerprintOf(submission.AsRequest());
        Report report;
        using (ReportsTelemetry.StartStep("DB INSERT"))
        {
            report = await store.InsertOrLoadAsync(submission, path, fingerprint, cancellationToken);
        }

        if (ReportStore.IsConflict(report, fingerprint))
        {
            return new WorkflowOutcome.Conflict(report);
        }

        var attempt = new AttemptState(_options, clock);
        while (!report.IsFinal)
        {
            try
            {
                if (await AdvanceAsync(report, attempt, cancellationToken) is { } stopped)
                {
                    return stopped;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker wrote the report since we read it: go on from what it says now.
            }

            report = await store.ReloadAsync(report.Id, cancellationToken);
        }

        return Ended(report);
    }

    private static WorkflowOutcome Ended(Report report) => report.Status == ReportStatus.Completed
        ? new WorkflowOutcome.Completed(report)
        : new WorkflowOutcome.Failed(report);

    /// <summary>Takes the next step from where the report stands; an outcome when this run stops before the report is final.</summary>
    private async Task<WorkflowOutcome?> AdvanceAsync(Report report, AttemptState attempt, CancellationToken cancellationToken)
    {
        if (report.LpRunClaimId is { } held)
        {
            using (ReportsTelemetry.StartStep("LP LPRUN"))
            {
                return await FollowClaimedRunAsync(report, held, attempt, cancellationToken);
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
            if (!await store.TryClaimRunAsync(report, claim, cancellationToken))
            {
                return null;
            }
        }

        var claimed = await store.ReloadAsync(report.Id, cancellationToken);
        using (ReportsTelemetry.StartStep("LP LPRUN"))
        {
            return await RunClaimedAsync(claimed, claim, attempt, cancellationToken);
        }
    }

    private async Task<WorkflowOutcome?> RunClaimedAsync(Report report, Guid claim, AttemptState attempt, CancellationToken cancellationToken)
    {
        RunTicket run;
        try
        {
            run = await lp.RunAsync(report.Id, report.LpQueueId!, report.LpRunClaimSequence, cancellationToken);
        }
        catch (LpCallException exception) when (exception.MayHaveRun)
        {
            // No proof that LP did not start it (no answer, a gateway's 502/504, a body that is not LP's): the claim
            // stays, and the run is followed through LP's lookup.
            logger.LogWarning("Report {ReportId}: LPRUN answer proves nothing ({Reason}); following the run by lookup", report.Id, exception.Message);
            return null;
        }
        catch (LpCallException exception) when (exception.Failure == LpFailure.StaleClaim)
        {
            // LP saw a newer claim's call: ours was taken over while we paused. Nothing ran for us; follow the holder.
            logger.LogWarning("Report {ReportId}: LP refused LPRUN with claim {Sequence}: {Reason}", report.Id, report.LpRunClaimSequence, exception.Message);
            return null;
        }
        catch (LpCallException exception)
        {
            // LP's own answer, or a call that never left: nothing runs under this claim. Give it back for a later attempt.
            var unknownQueue = exception.Failure == LpFailure.UnknownQueue;
            await store.ReleaseClaimAsync(report.Id, claim, forgetQueue: unknownQueue, cancellationToken);
            if (unknownQueue && ++attempt.Requeues <= MaxRequeues)
            {
                logger.LogWarning("Report {ReportId}: LP does not know its queue; queueing it again", report.Id);
                return null;
            }

            throw;
        }

        if (run.Duplicate)
        {
            // Cannot happen while the claim holds; LP counts it, and this says where it came from.
            logger.LogError("Report {ReportId}: LP executed LPRUN a second time (run {RunId})", report.Id, run.RunId);
        }

        Complete(report, run.RunId, run.Pages);
        await store.SaveAsync(report, cancellationToken);
        return null;
    }

    /// <summary>A claim is held (by another worker, or by an earlier call that got no proof): follow its run through LP's lookup.</summary>
    private async Task<WorkflowOutcome?> FollowClaimedRunAsync(Report report, Guid claim, AttemptState attempt, CancellationToken cancellationToken)
    {
        var run = await lp.FindRunAsync(report.Id, cancellationToken);
        if (run is { State: RunState.Completed })
        {
            logger.LogInformation("Report {ReportId}: LPRUN had been requested before; LP has run {RunId}", report.Id, run.RunId);
            Complete(report, run.RunId!, run.Pages!.Value);
            await store.SaveAsync(report, cancellationToken);
            return null;
        }

        // LP has no live run for the claim, and by the database's clock it is older than any LPRUN in transit: take it over.
        if (run is not { State: RunState.Running } && await store.TryExpireClaimAsync(report.Id, claim, _options.RunClaimLease, cancellationToken))
        {
            logger.LogWarning("Report {ReportId}: LP reports {State} for the LPRUN claim {Sequence}, whose lease ran out; claiming it again",
                report.Id, run?.State.ToString() ?? "no run", report.LpRunClaimSequence);
            return null;
        }

        // Running, or not yet visible to LP while the claimant's call may still be on its way: look again shortly, at
        // the report too (the claimant may have finished it, or given the claim back).
        return await attempt.WaitForRunAsync(cancellationToken)
            ? null
            : new WorkflowOutcome.InProgressElsewhere(report.Id,
                $"LPRUN is still {run?.State.ToString().ToLowerInvariant() ?? "not visible"} after {_options.RunLookupTimeout}");
    }

    private void Complete(Report report, string runId, int pages)
    {
        report.Status = ReportStatus.Completed;
        report.CompletedAt = clock.GetUtcNow();
        report.LpRunId = runId;
        report.LpPages = pages;
        report.LastError = null;
    }

    /// <summary>What one run of the workflow remembers between its steps.</summary>
    private sealed class AttemptState(WorkflowOptions options, TimeProvider clock)
    {
        private readonly long _startedAt = clock.GetTimestamp();
        private TimeSpan _lookupInterval = options.RunLookupInterval;

        public int Requeues { get; set; }

        /// <summary>Waits before the next run lookup, backing off; false once this run has followed for RunLookupTimeout.</summary>
        public async Task<bool> WaitForRunAsync(CancellationToken cancellationToken)
        {
            if (clock.GetElapsedTime(_startedAt) > options.RunLookupTimeout)
            {
                return false;
            }

            await Task.Delay(_lookupInterval, clock, cancellationToken);
            _lookupInterval = TimeSpan.FromTicks(Math.Min(_lookupInterval.Ticks * 2, options.RunLookupMaxInterval.Ticks));
            return true;
        }
    }
}
