using ReportPoc.Contracts.Lp;

namespace ReportPoc.LpMock.Simulation;

/// <summary>Live counters behind GET /lp/stats; thread-safe, and resettable between tests (unlike the metrics).</summary>
public sealed class LpStatistics
{
    private long _setQueueCalls;
    private long _runCalls;
    private long _runExecutions;
    private long _duplicateSetQueueCalls;
    private long _duplicateRunExecutions;
    private long _failedCalls;
    private long _rejectedCalls;
    private long _conflictCalls;
    private long _gatewayErrors;
    private long _unreachableCalls;
    private long _lostRunAnswers;
    private long _staleClaimRefusals;
    private long _completedRuns;
    private int _inFlightRuns;
    private int _waitingRuns;
    private int _peakConcurrentRuns;

    public int InFlightRuns => Volatile.Read(ref _inFlightRuns);

    public int WaitingRuns => Volatile.Read(ref _waitingRuns);

    public void SetQueueCalled() => Interlocked.Increment(ref _setQueueCalls);

    public void RunCalled() => Interlocked.Increment(ref _runCalls);

    public void RunExecuted(bool duplicate)
    {
        Interlocked.Increment(ref _runExecutions);
        if (duplicate)
        {
            Interlocked.Increment(ref _duplicateRunExecutions);
        }
    }

    public void DuplicateSetQueue() => Interlocked.Increment(ref _duplicateSetQueueCalls);

    public void CallFailed() => Interlocked.Increment(ref _failedCalls);

    public void CallRejected() => Interlocked.Increment(ref _rejectedCalls);

    public void CallConflicted() => Interlocked.Increment(ref _conflictCalls);

    public void GatewayError() => Interlocked.Increment(ref _gatewayErrors);

    public void UnreachableCall() => Interlocked.Increment(ref _unreachableCalls);

    public void LostRunAnswer() => Interlocked.Increment(ref _lostRunAnswers);

    public void StaleClaimRefused() => Interlocked.Increment(ref _staleClaimRefusals);

    public void RunCompleted() => Interlocked.Increment(ref _completedRuns);

    public void RunWaiting() => Interlocked.Increment(ref _waitingRuns);

    public void RunStoppedWaiting() => Interlocked.Decrement(ref _waitingRuns);

    public void RunStarted()
    {
        var inFlight = Interlocked.Increment(ref _inFlightRuns);
        RaisePeak(inFlight);
    }

    public void RunEnded() => Interlocked.Decrement(ref _inFlightRuns);

    /// <summary>Zeroes the counters; runs still in flight stay counted and set the new peak.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _setQueueCalls, 0);
        Interlocked.Exchange(ref _runCalls, 0);
        Interlocked.Exchange(ref _runExecutions, 0);
        Interlocked.Exchange(ref _duplicateSetQueueCalls, 0);
        Interlocked.Exchange(ref _duplicateRunExecutions, 0);
        Interlocked.Exchange(ref _failedCalls, 0);
        Interlocked.Exchange(ref _rejectedCalls, 0);
        Interlocked.Exchange(ref _conflictCalls, 0);
        Interlocked.Exchange(ref _gatewayErrors, 0);
        Interlocked.Exchange(ref _unreachableCalls, 0);
        Interlocked.Exchange(ref _lostRunAnswers, 0);
        Interlocked.Exchange(ref _staleClaimRefusals, 0);
        Interlocked.Exchange(ref _completedRuns, 0);
        Interlocked.Exchange(ref _peakConcurrentRuns, InFlightRuns);
    }

    public LpStats Snapshot(int capacity, LpFaults faults, LpProfile profile) => new()
    {
        Capacity = capacity,
        InFlightRuns = InFlightRuns,
        WaitingRuns = WaitingRuns,
        PeakConcurrentRuns = Volatile.Read(ref _peakConcurrentRuns),
        SetQueueCalls = Interlocked.Read(ref _setQueueCalls),
        RunCalls = Interlocked.Read(ref _runCalls),
        RunExecutions = Interlocked.Read(ref _runExecutions),
        DuplicateSetQueueCalls = Interlocked.Read(ref _duplicateSetQueueCalls),
        DuplicateRunExecutions = Interlocked.Read(ref _duplicateRunExecutions),
        FailedCalls = Interlocked.Read(ref _failedCalls),
        RejectedCalls = Interlocked.Read(ref _rejectedCalls),
        ConflictCalls = Interlocked.Read(ref _conflictCalls),
        GatewayErrors = Interlocked.Read(ref _gatewayErrors),
        UnreachableCalls = Interlocked.Read(ref _unreachableCalls),
        LostRunAnswers = Interlocked.Read(ref _lostRunAnswers),
        StaleClaimRefusals = Interlocked.Read(ref _staleClaimRefusals),
        CompletedRuns = Interlocked.Read(ref _completedRuns),
        Faults = faults,
        Profile = profile,
    };

    private void RaisePeak(int candidate)
    {
        var peak = Volatile.Read(ref _peakConcurrentRuns);
        while (candidate > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakConcurrentRuns, candidate, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }
}
