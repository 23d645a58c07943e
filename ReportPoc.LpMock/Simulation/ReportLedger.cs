using System.Collections.Concurrent;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.LpMock.Simulation;

/// <summary>LP's memory of every report it has seen: the source of its idempotency and of the call counts.</summary>
public sealed class ReportLedger
{
    private readonly ConcurrentDictionary<Guid, ReportRecord> _records = new();

    public ReportRecord For(Guid reportId) => _records.GetOrAdd(reportId, static id => new ReportRecord(id));

    public ReportRecord? Find(Guid reportId) => _records.GetValueOrDefault(reportId);

    public void Clear() => _records.Clear();
}

/// <summary>What one LPRUN execution produced; <see cref="RunId"/> is null when it failed.</summary>
public sealed record RunOutcome(string? RunId, int? Pages)
{
    public static readonly RunOutcome Failed = new(null, null);

    public bool Succeeded => RunId is not null;
}

/// <summary>One LPRUN execution: it runs on LP's clock, whether or not its caller still waits for it.</summary>
public sealed class RunExecution
{
    private readonly Lazy<Task<RunOutcome>> _work;

    public RunExecution(Func<RunExecution, Task<RunOutcome>> work) => _work = new Lazy<Task<RunOutcome>>(() => work(this));

    public RunOutcome? Outcome { get; private set; }

    public Task<RunOutcome> Completion => _work.Value;

    public void Start() => _ = _work.Value;

    internal void Finish(RunOutcome outcome) => Outcome = outcome;
}

/// <summary>How LP answers one LPRUN call: a conflict, or the new execution (a duplicate when the report had a live or finished run).</summary>
public sealed record RunAdmission(string? Conflict, RunExecution? Execution, bool Duplicate, bool StaleClaim = false);

/// <summary>One report's state in LP. All access goes through its lock: hundreds of calls may race on one report.</summary>
public sealed class ReportRecord(Guid reportId)
{
    private readonly Lock _gate = new();
    private int _setQueueCalls;
    private int _runCalls;
    private int _runExecutions;
    private int _duplicateSetQueueCalls;
    private int _duplicateRunExecutions;
    private int _rejections;
    private int _staleClaimRefusals;
    private int _lostRunAnswers;
    private int _unreachableRunCalls;
    private int _lateRunCalls;
    private bool _runCallPassedGateway;
    private long _highestFencingToken;
    private string? _queueId;
    private RunExecution? _latestRun;
    private string? _completedRunId;
    private DateTimeOffset? _firstRunAt;
    private DateTimeOffset? _lastRunAt;

    public Guid ReportId => reportId;

    public void CountSetQueueCall()
    {
        lock (_gate)
        {
            _setQueueCalls++;
        }
    }

    public void CountLostRunAnswer()
    {
        lock (_gate)
        {
            _lostRunAnswers++;
        }
    }

    /// <summary>True for the report's first LPRUN call to reach the gateway, which a stalling gateway holds back.</summary>
    public bool FirstRunCallAtGateway()
    {
        lock (_gate)
        {
            var first = !_runCallPassedGateway;
            _runCallPassedGateway = true;
            return first;
        }
    }

    public void CountLateRunCall()
    {
        lock (_gate)
        {
            _lateRunCalls++;
        }
    }

    public void CountUnreachableRunCall()
    {
        lock (_gate)
        {
            _unreachableRunCalls++;
        }
    }

    public void CountRejection()
    {
        lock (_gate)
        {
            _rejections++;
        }
    }

    /// <summary>Gives the report its queue id, or the one it already has (a duplicate call).</summary>
    public (string QueueId, bool Duplicate) AssignQueue()
    {
        lock (_gate)
        {
            if (_queueId is not null)
            {
                _duplicateSetQueueCalls++;
                return (_queueId, true);
            }

            _queueId = LpIds.NewQueueId();
            return (_queueId, false);
        }
    }

    public void CountRunCall(DateTimeOffset calledAt)
    {
        lock (_gate)
        {
            _runCalls++;
            _firstRunAt ??= calledAt;
            _lastRunAt = calledAt;
        }
    }

    /// <summary>
    /// Decides an LPRUN call's fate: a conflict when the queue id is not the report's, otherwise a new execution
    /// from <paramref name="execute"/> (started by the caller outside the lock). LP is strict: a call for a report whose
    /// earlier run is still running or has completed is executed again, as a second run, and counted as a duplicate.
    /// </summary>
    /// <remarks>
    /// A call whose fencing token is lower than one LP has seen for the report comes from a holder whose claim was taken
    /// over: it is refused, nothing runs, and the ledger counts it.
    /// </remarks>
    public RunAdmission AdmitRun(string queueId, long? fencingToken, Func<RunExecution, Task<RunOutcome>> execute)
    {
        lock (_gate)
        {
            if (fencingToken is { } token)
            {
                if (token < _highestFencingToken)
                {
                    _staleClaimRefusals++;
                    return new RunAdmission($"Report {reportId}: LPRUN with claim {token}, but claim {_highestFencingToken} has called; refused.",
                        null, false, StaleClaim: true);
                }

                _highestFencingToken = token;
            }

            if (_queueId is null)
            {
                return new RunAdmission($"Report {reportId} was never queued: call set-queue first.", null, false);
            }

            if (_queueId != queueId)
            {
                return new RunAdmission($"Report {reportId} is queued as {_queueId}, not {queueId}.", null, false);
            }

            var duplicate = (_latestRun is not null && _latestRun.Outcome is null) || _completedRunId is not null;
            if (duplicate)
            {
                _duplicateRunExecutions++;
            }

            _runExecutions++;
            _latestRun = new RunExecution(execute);
            return new RunAdmission(null, _latestRun, duplicate);
        }
    }

    public void FinishRun(RunExecution execution, RunOutcome outcome)
    {
        lock (_gate)
        {
            execution.Finish(outcome);
            if (outcome.Succeeded)
            {
                _completedRunId ??= outcome.RunId;
            }
        }
    }

    /// <summary>The report's latest LPRUN execution as LP knows it; null when none was ever started.</summary>
    public RunStatus? RunStatus()
    {
        lock (_gate)
        {
            return _latestRun switch
            {
                null => null,
                { Outcome: null } => new RunStatus(reportId, RunState.Running, null, null, _runExecutions),
                { Outcome: { Succeeded: true } done } => new RunStatus(reportId, RunState.Completed, done.RunId, done.Pages, _runExecutions),
                _ => new RunStatus(reportId, RunState.Failed, null, null, _runExecutions),
            };
        }
    }

    public LedgerEntry Snapshot()
    {
        lock (_gate)
        {
            return new LedgerEntry(reportId, _setQueueCalls, _runCalls, _runExecutions, _duplicateSetQueueCalls, _duplicateRunExecutions,
                _rejections, _staleClaimRefusals, _queueId, _completedRunId, _firstRunAt, _lastRunAt, _lostRunAnswers, _unreachableRunCalls, _lateRunCalls);
        }
    }
}

internal static class LpIds
{
    public static string NewQueueId() => New("Q");

    public static string NewRunId() => New("R");

    private static string New(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
