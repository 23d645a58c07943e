using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Submissions;
using ReportPoc.Reports.Workflow;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Reports;

/// <summary>
/// LPRUN at most once per report, enforced by the database (docs/design.md §5.2), against a real PostgreSQL and an LP that
/// executes and counts every LPRUN it gets.
/// </summary>
public sealed class ReportWorkflowTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncDisposable
{
    private static readonly WorkflowOptions Timing = new()
    {
        RunClaimLease = TimeSpan.FromSeconds(2),
        RunLookupInterval = TimeSpan.FromMilliseconds(10),
        RunLookupMaxInterval = TimeSpan.FromMilliseconds(500),
        RunLookupTimeout = TimeSpan.FromMinutes(1),
    };

    private readonly ScriptedLp _lp = new();
    private readonly List<ReportsDbContext> _contexts = [];

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WorkersRacingOnOneReportCallLpRunOnceAndAllSeeItsRun()
    {
        var submission = NewSubmission();
        _lp.MakeSetQueueCallersMeet(3); // all three have the report loaded before anyone claims LPRUN (setQueue would time out otherwise)
        _lp.HoldRuns();

        var workers = Enumerable.Range(0, 3).Select(_ => Workflow().RunAsync(submission, ReportPath.Async, Cancellation)).ToArray();
        await Eventually.TrueAsync(() => _lp[submission.Id].Lookups >= 2); // the two losers follow the winner's run in LP's lookup
        _lp.ReleaseRuns();
        var outcomes = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var lp = _lp[submission.Id];
        Assert.Equal(1, lp.RunCalls);
        Assert.Equal(0, lp.DuplicateRunExecutions);
        Assert.All(outcomes, outcome => Assert.Equal(lp.RunId, Assert.IsType<WorkflowOutcome.Completed>(outcome).Report.LpRunId));
        Assert.Equal(lp.RunId, (await StoredAsync(submission.Id)).LpRunId);
    }

    [Fact]
    public async Task MarkingACompletedReportFailedChangesNothing()
    {
        var submission = NewSubmission();
        var completed = Completed(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        var marked = await Store().MarkFailedAsync(submission.Id, "a late verdict", deadLettered: true, Cancellation);

        Assert.Equal(ReportStatus.Completed, marked?.Status);
        var stored = await StoredAsync(submission.Id);
        Assert.Equal((ReportStatus.Completed, completed.Version, null, null, null),
            (stored.Status, stored.Version, stored.FailedAt, stored.DeadLetteredAt, stored.LastError));
    }

    [Fact]
    public async Task AWriterHoldingTheReportFromBeforeItCompletedCannotOverwriteIt()
    {
        var submission = NewSubmission();
        _lp.HoldRuns();
        var worker = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(() => _lp[submission.Id].RunCalls == 1);
        var stale = Context();
        var staleCopy = await stale.Reports.SingleAsync(report => report.Id == submission.Id, Cancellation);
        _lp.ReleaseRuns();
        await worker;

        staleCopy.Status = ReportStatus.Failed;
        staleCopy.LastError = "stale verdict";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveChangesAsync(Cancellation));
        Assert.Equal(ReportStatus.Completed, (await StoredAsync(submission.Id)).Status);
    }

    [Theory]
    [InlineData(RunFault.LostBeforeLp, 1)] // LP reports no run
    [InlineData(RunFault.FailsAnswerLost, 2)] // LP reports a failed run
    public async Task WhenLpHasNoLiveRunTheClaimIsTakenOverOnlyAfterTheLease(RunFault fault, int runCalls)
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(fault);

        var report = Completed(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation).WaitAsync(TimeSpan.FromSeconds(30), Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal(runCalls, lp.RunCalls);
        Assert.Equal(0, lp.DuplicateRunExecutions);
        Assert.Equal(lp.RunId, report.LpRunId);
        Assert.True(lp.Lookups >= 2, $"LP was asked {lp.Lookups} times while the claim held");
        Assert.Equal(2, report.LpRunClaimSequence); // the lost claim, then the one taken over after the lease
    }

    [Fact]
    public async Task AFollowerWhoseClockRunsAheadStillWaitsOutTheLeaseByTheDatabasesClock()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.ArrivesLate); // the claimant's LPRUN is on its way (a frozen process) and LP knows nothing yet
        var claimant = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(async () => (await Store().FindAsync(submission.Id, Cancellation))?.LpRunClaimId is not null);
        var claimedAt = DateTimeOffset.UtcNow;

        // An hour ahead: by its own clock the claim is long expired. Only the database's clock may say so.
        var follower = Workflow(new SkewedClock(TimeSpan.FromHours(1))).RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(() => _lp[submission.Id].Lookups >= 2);
        Assert.Equal(0, _lp[submission.Id].RunCalls); // still within the lease: nobody called LPRUN a second time

        var followed = Completed(await follower.WaitAsync(TimeSpan.FromSeconds(30), Cancellation));
        Assert.True(DateTimeOffset.UtcNow - claimedAt >= Timing.RunClaimLease - TimeSpan.FromMilliseconds(100),
            $"taken over after {DateTimeOffset.UtcNow - claimedAt}, the lease is {Timing.RunClaimLease}");

        _lp.LetLateCallsArrive(); // the frozen claimant wakes: its call carries claim 1, LP has seen claim 2
        var woke = Completed(await claimant.WaitAsync(TimeSpan.FromSeconds(30), Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal((2, 1, 0, 1), (lp.RunCalls, lp.RunExecutions, lp.DuplicateRunExecutions, lp.StaleClaimRefusals));
        Assert.Equal((lp.RunId, lp.RunId), (followed.LpRunId, woke.LpRunId));
    }

    [Fact]
    public async Task AGatewayErrorKeepsTheClaimAndTheRunIsFollowedNotRepeated()
    {
        var submission = NewSubmission();
        _lp.HoldRuns();
        _lp.FailNextRuns(RunFault.GatewayError);

        var worker = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(() => _lp[submission.Id].Lookups >= 2);
        Assert.NotNull((await StoredAsync(submission.Id)).LpRunClaimId);
        _lp.ReleaseRuns();
        var report = Completed(await worker.WaitAsync(TimeSpan.FromSeconds(30), Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal((1, 1, 0), (lp.RunCalls, lp.RunExecutions, lp.DuplicateRunExecutions));
        Assert.Equal(lp.RunId, report.LpRunId);
    }

    [Fact]
    public async Task AnLpRunLeftWithoutAnAnswerKeepsItsClaimAndIsFollowedThroughLpsLookup()
    {
        var submission = NewSubmission();
        _lp.HoldRuns();
        _lp.FailNextRuns(RunFault.AnswerLost);

        var worker = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(() => _lp[submission.Id].Lookups >= 1);
        var claimed = await StoredAsync(submission.Id);
        Assert.NotNull(claimed.LpRunClaimId);
        Assert.Equal(ReportStatus.Running, claimed.Status);

        var next = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        _lp.ReleaseRuns();
        var reports = (await Task.WhenAll(worker, next).WaitAsync(TimeSpan.FromSeconds(30), Cancellation)).Select(Completed);

        var lp = _lp[submission.Id];
        Assert.Equal(1, lp.RunCalls);
        Assert.All(reports, report => Assert.Equal(lp.RunId, report.LpRunId));
    }

    [Fact]
    public async Task FollowingARunThatNeverEndsStopsAfterTheLookupTimeoutAndKeepsTheClaim()
    {
        var clock = new SteppedClock();
        var submission = NewSubmission();
        _lp.HoldRuns();
        _lp.FailNextRuns(RunFault.AnswerLost);
        var started = clock.GetUtcNow();

        var outcome = await clock.RunAsync(Workflow(clock).RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.IsType<WorkflowOutcome.InProgressElsewhere>(outcome); // not the report's fault: it is followed again later
        Assert.InRange(clock.GetUtcNow() - started, Timing.RunLookupTimeout, Timing.RunLookupTimeout + Timing.RunLookupMaxInterval);
        Assert.Equal(1, _lp[submission.Id].RunCalls);
        var stored = await StoredAsync(submission.Id);
        Assert.Equal(ReportStatus.Running, stored.Status);
        Assert.NotNull(stored.LpRunClaimId); // LP still runs it: the claim stays
    }

    [Fact]
    public async Task LpsOwnAnswerThatNothingRunsGivesTheClaimBack()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.Unavailable);

        var unavailable = Assert.IsType<WorkflowOutcome.Unavailable>(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.Equal(WorkflowOutcome.Unavailable.Lp, unavailable.Dependency);
        var released = await StoredAsync(submission.Id);
        Assert.Null(released.LpRunClaimId);
        Assert.Equal(_lp[submission.Id].QueueIds.Single(), released.LpQueueId); // the queue stays

        Completed(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal((1, 2, 1, 0), (lp.SetQueueCalls, lp.RunCalls, lp.RunExecutions, lp.Lookups));
    }

    [Fact]
    public async Task AnUnknownQueueQueuesTheReportAgain()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.UnknownQueue);

        var report = Completed(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal((2, 2, 1), (lp.SetQueueCalls, lp.RunCalls, lp.RunExecutions));
        Assert.Equal(lp.QueueIds[1], report.LpQueueId);
    }

    [Fact]
    public async Task QueueingAgainIsBounded()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.UnknownQueue, RunFault.UnknownQueue, RunFault.UnknownQueue, RunFault.UnknownQueue);

        Assert.IsType<WorkflowOutcome.Unavailable>(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal((4, 4, 0), (lp.SetQueueCalls, lp.RunCalls, lp.RunExecutions));
        var stored = await StoredAsync(submission.Id);
        Assert.Equal((ReportStatus.Running, null, null), (stored.Status, stored.LpRunClaimId, stored.LpQueueId));
    }

    [Fact]
    public async Task AnIdempotencyKeyReusedForOtherContentIsAConflictAndLeavesTheReportAlone()
    {
        var submission = NewSubmission(idempotencyKey: "key-" + Guid.NewGuid());
        await Workflow().RunAsync(submission, ReportPath.Sync, Cancellation);
        var before = await StoredAsync(submission.Id);

        var conflict = Assert.IsType<WorkflowOutcome.Conflict>(await Workflow().RunAsync(submission with { Title = "Another report" }, ReportPath.Async, Cancellation));

        Assert.Equal(submission.Id, conflict.Existing.Id);
        var after = await StoredAsync(submission.Id);
        Assert.Equal((before.Title, before.Fingerprint, before.Attempts, before.Version, before.Path),
            (after.Title, after.Fingerprint, after.Attempts, after.Version, after.Path));
        Assert.Equal((1, 1), (_lp[submission.Id].SetQueueCalls, _lp[submission.Id].RunCalls));
    }

    [Fact]
    public async Task ARepeatOfACompletedReportCallsLpNoMore()
    {
        var submission = NewSubmission(idempotencyKey: "key-" + Guid.NewGuid());
        var first = Completed(await Workflow().RunAsync(submission, ReportPath.Sync, Cancellation));

        var repeat = Completed(await Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.Equal(first.LpRunId, repeat.LpRunId);
        Assert.Equal((1, 1), (_lp[submission.Id].SetQueueCalls, _lp[submission.Id].RunCalls));
    }

    public async ValueTask DisposeAsync()
    {
        _lp.ReleaseRuns();
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        _lp.Dispose();
    }

    private ReportWorkflow Workflow(TimeProvider? clock = null) =>
        new(Store(clock), _lp.Client(), clock ?? TimeProvider.System, Options.Create(Timing), NullLogger<ReportWorkflow>.Instance);

    private ReportStore Store(TimeProvider? clock = null) => new(Context(), clock ?? TimeProvider.System);

    private static Report Completed(WorkflowOutcome outcome) => Assert.IsType<WorkflowOutcome.Completed>(outcome).Report;

    private ReportsDbContext Context()
    {
        var context = postgres.CreateContext();
        _contexts.Add(context);
        return context;
    }

    private async Task<Report> StoredAsync(Guid reportId)
    {
        await using var db = postgres.CreateContext();
        return await db.Reports.AsNoTracking().SingleAsync(report => report.Id == reportId, Cancellation);
    }

    private static ReportSubmitted NewSubmission(string? idempotencyKey = null)
    {
        var request = new SubmitReportRequest("unit-tests", "monthly", "2026-11", "Fast tier " + Guid.NewGuid().ToString("N")[..8], "Content");
        return ReportSubmitted.From(ReportIdentity.IdFor(request.ReporterId!, idempotencyKey), idempotencyKey, request, DateTimeOffset.UtcNow);
    }
}
