using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.LpMock.Simulation;

public enum LpCallStatus
{
    Succeeded,
    NotFound,
    Rejected,
    Conflict,
    StaleClaim,
    Unavailable,
}

/// <summary>An LP answer: a value, or why there is none (<see cref="Problem"/> explains it to the caller).</summary>
public readonly record struct LpCall<T>(LpCallStatus Status, T? Value = default, string? Problem = null);

/// <summary>
/// The simulated LP reporting system: setQueue and LPRUN with a latency profile, a capacity limit on concurrent
/// LPRUN executions (excess runs wait, as in a saturated system), and injected faults. It forgives nothing: a repeated
/// setQueue gets the same queue id (LP's own idempotency), but a repeated LPRUN is executed again and counted.
/// </summary>
public sealed class LpSystem(
    IOptions<LpOptions> options,
    LpFaultSwitch faults,
    LatencyProfile latency,
    RunCapacity capacity,
    ReportLedger ledger,
    LpStatistics statistics,
    LpMetrics metrics,
    TimeProvider clock,
    IHostApplicationLifetime lifetime)
{
    private const int MaxPages = 50;

    public LpStats Stats => statistics.Snapshot(capacity.Capacity, faults.Current, options.Value.Profile);

    public bool IsAvailable => !faults.Current.Outage;

    public async Task<LpCall<QueueTicket>> SetQueueAsync(Guid reportId, CancellationToken cancellationToken)
    {
        statistics.SetQueueCalled();
        var record = ledger.For(reportId);
        record.CountSetQueueCall();
        if (faults.Current.Outage)
        {
            return Unavailable<QueueTicket>(LpOperation.SetQueue, CallOutcome.Outage, "LP is in an outage.");
        }

        try
        {
            await Task.Delay(latency.NextSetQueue(), clock, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Call(LpOperation.SetQueue, CallOutcome.Abandoned);
            throw;
        }

        // Decided before anything is recorded, so a failed call leaves no queue behind and a retry can succeed.
        if (faults.ShouldFail())
        {
            return Unavailable<QueueTicket>(LpOperation.SetQueue, CallOutcome.Failed, "setQueue failed (transient); retry.");
        }

        if (faults.Rejects(reportId))
        {
            record.CountRejection();
            statistics.CallRejected();
            metrics.Call(LpOperation.SetQueue, CallOutcome.Rejected);
            return new LpCall<QueueTicket>(LpCallStatus.Rejected, Problem: $"LP refuses report {reportId}: it does not pass LP's checks.");
        }

        var (queueId, duplicate) = record.AssignQueue();
        if (duplicate)
        {
            statistics.DuplicateSetQueue();
        }

        metrics.Call(LpOperation.SetQueue, duplicate ? CallOutcome.Duplicate : CallOutcome.Ok);
        return new LpCall<QueueTicket>(LpCallStatus.Succeeded, new QueueTicket(reportId, queueId, duplicate));
    }

    public async Task<LpCall<RunTicket>> RunAsync(Guid reportId, string queueId, long? fencingToken, CancellationToken cancellationToken)
    {
        statistics.RunCalled();
        var record = ledger.For(reportId);
        record.CountRunCall(clock.GetUtcNow());
        if (faults.Current.Outage)
        {
            return Unavailable<RunTicket>(LpOperation.Run, CallOutcome.Outage, "LP is in an outage.");
        }

        var admission = record.AdmitRun(queueId, fencingToken, execution => ExecuteRunAsync(record, execution));
        if (admission is { StaleClaim: true, Conflict: { } stale })
        {
            statistics.StaleClaimRefused();
            metrics.Call(LpOperation.Run, CallOutcome.Conflict);
            return new LpCall<RunTicket>(LpCallStatus.StaleClaim, Problem: stale);
        }

        if (admission.Conflict is { } conflict)
        {
            statistics.CallConflicted();
            metrics.Call(LpOperation.Run, CallOutcome.Conflict);
            return new LpCall<RunTicket>(LpCallStatus.Conflict, Problem: conflict);
        }

        statistics.RunExecuted(admission.Duplicate);
        var execution = admission.Execution!;
        execution.Start();

        RunOutcome outcome;
        try
        {
            outcome = await execution.Completion.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            metrics.Call(LpOperation.Run, CallOutcome.Abandoned);
            throw;
        }

        if (!outcome.Succeeded)
        {
            return Unavailable<RunTicket>(LpOperation.Run, CallOutcome.Failed, "LPRUN failed (transient); retry.");
        }

        metrics.Call(LpOperation.Run, admission.Duplicate ? CallOutcome.Duplicate : CallOutcome.Ok);
        return new LpCall<RunTicket>(LpCallStatus.Succeeded, new RunTicket(reportId, outcome.RunId!, outcome.Pages!.Value, admission.Duplicate));
    }

    /// <summary>Reconciliation: the report's latest LPRUN execution, without running anything or counting a call.</summary>
    public LpCall<RunStatus> FindRun(Guid reportId)
    {
        if (faults.Current.Outage)
        {
            return Unavailable<RunStatus>(LpOperation.RunLookup, CallOutcome.Outage, "LP is in an outage.");
        }

        var status = ledger.Find(reportId)?.RunStatus();
        metrics.Call(LpOperation.RunLookup, status is null ? CallOutcome.NotFound : CallOutcome.Ok);
        return status is null
            ? new LpCall<RunStatus>(LpCallStatus.NotFound)
            : new LpCall<RunStatus>(LpCallStatus.Succeeded, status);
    }

    /// <summary>The gateway in front of LP answered this LPRUN call itself; LP runs it all the same.</summary>
    public void CountGatewayError() => statistics.GatewayError();

    /// <summary>
    /// Whether a stalling gateway (<see cref="LpFaults.FirstRunDelay"/>) holds back this LPRUN call: only the report's
    /// first call to reach the gateway is held, and LP gets it that long afterwards, as if the call were just arriving.
    /// </summary>
    public bool StallsAtGateway(Guid reportId, string queueId, long? fencingToken)
    {
        var first = ledger.For(reportId).FirstRunCallAtGateway();
        if (faults.Current.FirstRunDelay is not { Ticks: > 0 } delay || !first)
        {
            return false;
        }

        _ = DeliverLateAsync(reportId, queueId, fencingToken, delay);
        return true;
    }

    /// <summary>The cut way to LP answered a call itself; LP never saw it. The stand-in's ledger still notes an LPRUN's report.</summary>
    public void CountUnreachableCall(Guid? lpRunFor)
    {
        statistics.UnreachableCall();
        if (lpRunFor is { } reportId)
        {
            ledger.For(reportId).CountUnreachableRunCall();
        }
    }

    /// <summary>The cut dropped an LPRUN call's connection while LP ran the report; the run goes on.</summary>
    public void CountLostRunAnswer(Guid reportId)
    {
        statistics.LostRunAnswer();
        ledger.For(reportId).CountLostRunAnswer();
    }

    public void ResizeCapacity(int newCapacity) => capacity.Resize(newCapacity);

    /// <summary>Forgets every report and zeroes the statistics (runs still in flight finish unrecorded).</summary>
    public void Reset()
    {
        ledger.Clear();
        statistics.Reset();
    }

    private async Task DeliverLateAsync(Guid reportId, string queueId, long? fencingToken, TimeSpan delay)
    {
        await Task.Delay(delay, clock);
        ledger.For(reportId).CountLateRunCall();
        await RunAsync(reportId, queueId, fencingToken, CancellationToken.None);
    }

    // Runs on LP's clock, not the caller's: like a real system, LP finishes a run whose caller gave up or crashed,
    // which is what GET /lp/runs/{reportId} lets a recovering caller find out instead of running it again.
    private async Task<RunOutcome> ExecuteRunAsync(ReportRecord record, RunExecution execution)
    {
        var stopping = lifetime.ApplicationStopping;
        var started = clock.GetTimestamp();
        var outcome = RunOutcome.Failed;
        try
        {
            statistics.RunWaiting();
            try
            {
                await capacity.AcquireAsync(stopping);
            }
            finally
            {
                statistics.RunStoppedWaiting();
            }

            statistics.RunStarted();
            try
            {
                await Task.Delay(latency.NextLpRun(), clock, stopping);
                // An outage that began meanwhile takes the run down with it; otherwise the error rate decides.
                if (!faults.Current.Outage && !faults.ShouldFail())
                {
                    outcome = new RunOutcome(LpIds.NewRunId(), Random.Shared.Next(1, MaxPages + 1));
                }
            }
            finally
            {
                statistics.RunEnded();
                capacity.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // LP is shutting down: the run is interrupted and fails like any other, transiently.
        }
        finally
        {
            record.FinishRun(execution, outcome);
            if (outcome.Succeeded)
            {
                statistics.RunCompleted();
            }

            metrics.RunFinished(clock.GetElapsedTime(started), outcome.Succeeded);
        }

        return outcome;
    }

    private LpCall<T> Unavailable<T>(LpOperation operation, CallOutcome outcome, string problem)
    {
        // Lookups are not LP work, so only setQueue and LPRUN failures count in the statistics.
        if (operation != LpOperation.RunLookup)
        {
            statistics.CallFailed();
        }

        metrics.Call(operation, outcome);
        return new LpCall<T>(LpCallStatus.Unavailable, Problem: problem);
    }
}
