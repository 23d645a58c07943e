using ReportPoc.LpMock.Simulation;

namespace ReportPoc.UnitTests.Lp;

/// <summary>LP is strict: a second LPRUN for a report whose run is running or done is executed again and counted.</summary>
public sealed class ReportRecordTests
{
    private readonly ReportRecord _record = new(Guid.NewGuid());
    private int _executed;

    [Fact]
    public void ASecondLpRunWhileTheFirstRunsIsExecutedAndCountedAsADuplicate()
    {
        var queueId = _record.AssignQueue().QueueId;
        var first = Admit(queueId);

        var second = Admit(queueId);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Null(second.Conflict);
        second.Execution!.Start();
        Assert.Equal(1, _executed);
        Assert.Equal((2, 1), (_record.Snapshot().RunExecutions, _record.Snapshot().DuplicateRunExecutions));
    }

    [Fact]
    public void AnLpRunAfterACompletedRunIsExecutedAndCountedAsADuplicate()
    {
        var queueId = _record.AssignQueue().QueueId;
        var first = Admit(queueId);
        _record.FinishRun(first.Execution!, new RunOutcome("R-1", 3));

        var second = Admit(queueId);

        Assert.True(second.Duplicate);
        Assert.NotNull(second.Execution);
        Assert.Equal((2, 1), (_record.Snapshot().RunExecutions, _record.Snapshot().DuplicateRunExecutions));
        Assert.Equal("R-1", _record.Snapshot().RunId);
    }

    [Fact]
    public void AnLpRunAfterAFailedRunIsNotADuplicate()
    {
        var queueId = _record.AssignQueue().QueueId;
        var first = Admit(queueId);
        _record.FinishRun(first.Execution!, RunOutcome.Failed);

        var second = Admit(queueId);

        Assert.False(second.Duplicate);
        Assert.NotNull(second.Execution);
        Assert.Equal((2, 0), (_record.Snapshot().RunExecutions, _record.Snapshot().DuplicateRunExecutions));
    }

    [Fact]
    public void AnLpRunWithAnotherQueueIdIsAConflictAndRunsNothing()
    {
        _record.AssignQueue();

        var admission = Admit("Q-not-this-reports");

        Assert.NotNull(admission.Conflict);
        Assert.Null(admission.Execution);
        Assert.Equal(0, _record.Snapshot().RunExecutions);
        Assert.Null(_record.RunStatus());
    }

    [Fact]
    public void AnLpRunOfAReportNeverQueuedIsAConflictAndRunsNothing()
    {
        var admission = Admit("Q-anything");

        Assert.Contains("never queued", admission.Conflict);
        Assert.Null(admission.Execution);
        Assert.Equal(0, _record.Snapshot().RunExecutions);
    }

    [Fact]
    public void AnLpRunWithAFencingTokenOlderThanOneSeenIsRefusedRunsNothingAndIsCounted()
    {
        var queueId = _record.AssignQueue().QueueId;
        var newer = Admit(queueId, fencingToken: 2);

        var stale = Admit(queueId, fencingToken: 1);

        Assert.NotNull(newer.Execution);
        Assert.True(stale.StaleClaim);
        Assert.Null(stale.Execution);
        var ledger = _record.Snapshot();
        Assert.Equal((1, 0, 1), (ledger.RunExecutions, ledger.DuplicateRunExecutions, ledger.StaleClaimRefusals));
    }

    [Fact]
    public void ASecondSetQueueGetsTheSameQueueIdAndIsCounted()
    {
        var (queueId, firstIsDuplicate) = _record.AssignQueue();

        var (again, duplicate) = _record.AssignQueue();

        Assert.False(firstIsDuplicate);
        Assert.True(duplicate);
        Assert.Equal(queueId, again);
        Assert.Equal(1, _record.Snapshot().DuplicateSetQueueCalls);
    }

    private RunAdmission Admit(string queueId, long? fencingToken = null) => _record.AdmitRun(queueId, fencingToken, _ =>
    {
        Interlocked.Increment(ref _executed);
        return Task.FromResult(new RunOutcome("R-x", 1));
    });
}
