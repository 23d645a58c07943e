using System.Collections.Concurrent;

namespace ReportPoc.LpMock.Simulation;

/// <summary>LP's memory of every report it has seen: the source of its idempotency and of the call counts.</summary>
public sealed class ReportLedger
{
    private readonly ConcurrentDictionary<Guid, ReportRecord> _records = new();

    public ReportRecord For(Guid reportId) => _records.GetOrAdd(reportId, static id => new ReportRecord(id));

    public ReportRecord? Find(Guid reportId) => _records.GetValueOrDefault(reportId);

    public void Clear() => _records.Clear();
}

public enum RunState
{
    Running,
    Completed,
    Failed,
}

/// <summary>What one LPRUN execution produced; <see cref="RunId"/> is null when it failed.</summary>
public sealed record RunOutcome(string? RunId, int? Pages)
{
    public static readonly RunOutcome Failed = new(null, null);

    public bool Succeeded => RunId is not null;
}

/// <summary>How LP answers one LPRUN call: a conflict, or the execution to await (new, in progress or finished).</summary>
public sealed record RunAdmission(string? Conflict, Lazy<Task<RunOutcome>>? Execution, bool Duplicate);

public sealed record RunStatus(Guid ReportId, RunState State, string? RunId, int? Pages);

public sealed record LedgerEntry(
    Guid ReportId,
    int SetQueueCalls,
    int RunCalls,
    int DuplicateSetQueueCalls,
    int DuplicateRunCalls,
    string? QueueId,
    string? RunId,
    DateTimeOffset? FirstRunAt,
    DateTimeOffset? LastRunAt);

/// <summary>One report's state in LP. All access goes through its lock: hundreds of calls may race on one report.</summary>
public sealed class ReportRecord(Guid reportId)
{
    private readonly Lock _gate = new();
    private int _setQueueCalls;
    private int _runCalls;
    private int _duplicateSetQueueCalls;
    private int _duplicateRunCalls;
    private string? _queueId;
    private Lazy<Task<RunOutcome>>? _runningExecution;
    private RunOutcome? _completedRun;
    private bool _lastRunFailed;
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
    /// Decides an LPRUN call's fate: a conflict, the finished or in-progress execution (a duplicate),
    /// or a new execution created by <paramref name="startExecution"/> — which the caller starts outside the lock.
    /// </summary>
    public RunAdmission AdmitRun(string queueId, Func<Lazy<Task<RunOutcome>>> startExecution)
    {
        lock (_gate)
        {
            if (_queueId is null)
            {
                return new RunAdmission($"Report {reportId} was never queued: call set-queue first.", null, false);
            }

            if (_queueId != queueId)
            {
                return new RunAdmission($"Report {reportId} is queued as {_queueId}, not {queueId}.", null, false);
            }

            if (_completedRun is not null)
            {
                _duplicateRunCalls++;
                return new RunAdmission(null, new Lazy<Task<RunOutcome>>(Task.FromResult(_completedRun)), true);
            }

            if (_runningExecution is not null)
            {
                _duplicateRunCalls++;
                return new RunAdmission(null, _runningExecution, true);
            }

            _runningExecution = startExecution();
            return new RunAdmission(null, _runningExecution, false);
        }
    }

    /// <summary>Records how the execution ended. A failure keeps no result, so the next call runs afresh.</summary>
    public void FinishRun(RunOutcome outcome)
    {
        lock (_gate)
        {
            _runningExecution = null;
            _lastRunFailed = !outcome.Succeeded;
            if (outcome.Succeeded)
            {
                _completedRun = outcome;
            }
        }
    }

    /// <summary>The report's LPRUN as far as LP knows; null when no run was ever started.</summary>
    public RunStatus? RunStatus()
    {
        lock (_gate)
        {
            return (_completedRun, _runningExecution, _lastRunFailed) switch
            {
                ({ } completed, _, _) => new RunStatus(reportId, RunState.Completed, completed.RunId, completed.Pages),
                (null, not null, _) => new RunStatus(reportId, RunState.Running, null, null),
                (null, null, true) => new RunStatus(reportId, RunState.Failed, null, null),
                _ => null,
            };
        }
    }

    public LedgerEntry Snapshot()
    {
        lock (_gate)
        {
            return new LedgerEntry(reportId, _setQueueCalls, _runCalls, _duplicateSetQueueCalls, _duplicateRunCalls,
                _queueId, _completedRun?.RunId, _firstRunAt, _lastRunAt);
        }
    }
}

internal static class LpIds
{
    public static string NewQueueId() => New("Q");

    public static string NewRunId() => New("R");

    private static string New(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
