using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
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
        RunClaimLease = TimeSpan.FromSeconds(5),
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
        var reports = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var lp = _lp[submission.Id];
        Assert.Equal(1, lp.RunCalls);
        Assert.Equal(0, lp.DuplicateRunExecutions);
        Assert.All(reports, report => Assert.Equal(ReportStatus.Completed, report.Status));
        Assert.All(reports, report => Assert.Equal(lp.RunId, report.LpRunId));
        Assert.Equal(lp.RunId, (await StoredAsync(submission.Id)).LpRunId);
    }

    [Fact]
    public async Task MarkingACompletedReportFailedChangesNothing()
    {
        var submission = NewSubmission();
        var completed = await Workflow().RunAsync(submission, ReportPath.Async, Cancellation);

        var marked = await Workflow().MarkFailedAsync(submission.Id, "a late verdict", deadLettered: true, Cancellation);

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
        var clock = new SteppedClock();
        _lp.Clock = clock;
        var submission = NewSubmission();
        _lp.FailNextRuns(fault);
        var lost = await Assert.ThrowsAsync<LpCallException>(() => Workflow(clock).RunAsync(submission, ReportPath.Async, Cancellation));
        Assert.True(lost.MayHaveRun);
        var claimedAt = (await StoredAsync(submission.Id)).LpRunRequestedAt!.Value;

        var report = await clock.RunAsync(Workflow(clock).RunAsync(submission, ReportPath.Async, Cancellation));

        var lp = _lp[submission.Id];
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(runCalls, lp.RunCalls);
        Assert.Equal(0, lp.DuplicateRunExecutions);
        Assert.InRange(lp.RunCallTimes[^1] - claimedAt, Timing.RunClaimLease, Timing.RunClaimLease + Timing.RunLookupMaxInterval);
        Assert.True(lp.Lookups >= 3, $"LP was asked {lp.Lookups} times while the claim held");
    }

    [Fact]
    public async Task AnLpRunLeftWithoutAnAnswerKeepsItsClaimAndTheNextAttemptFollowsLpsLookup()
    {
        var submission = NewSubmission();
        _lp.HoldRuns();
        _lp.FailNextRuns(RunFault.AnswerLost);

        var lost = await Assert.ThrowsAsync<LpCallException>(() => Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.Equal(LpFailure.Unavailable, lost.Failure);
        Assert.True(lost.MayHaveRun);
        var claimed = await StoredAsync(submission.Id);
        Assert.NotNull(claimed.LpRunClaimId);
        Assert.Equal(ReportStatus.Running, claimed.Status);

        var next = Workflow().RunAsync(submission, ReportPath.Async, Cancellation);
        await Eventually.TrueAsync(() => _lp[submission.Id].Lookups >= 1);
        _lp.ReleaseRuns();
        var report = await next.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        var lp = _lp[submission.Id];
        Assert.Equal(1, lp.RunCalls);
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(lp.RunId, report.LpRunId);
    }

    [Fact]
    public async Task FollowingARunThatNeverEndsGivesUpAfterTheLookupTimeoutAsUnavailable()
    {
        var clock = new SteppedClock();
        var submission = NewSubmission();
        _lp.HoldRuns();
        _lp.FailNextRuns(RunFault.AnswerLost);
        await Assert.ThrowsAsync<LpCallException>(() => Workflow(clock).RunAsync(submission, ReportPath.Async, Cancellation));
        var started = clock.GetUtcNow();

        var follow = Workflow(clock).RunAsync(submission, ReportPath.Async, Cancellation);
        var gaveUp = await Assert.ThrowsAsync<LpCallException>(() => clock.RunAsync(follow));

        Assert.Equal(LpFailure.Unavailable, gaveUp.Failure); // not the report's fault: it is retried later
        Assert.InRange(clock.GetUtcNow() - started, Timing.RunLookupTimeout, Timing.RunLookupTimeout + Timing.RunLookupMaxInterval);
        Assert.Equal(1, _lp[submission.Id].RunCalls);
        Assert.NotNull((await StoredAsync(submission.Id)).LpRunClaimId); // LP still runs it: the claim stays
    }

    [Fact]
    public async Task ADefinitiveAnswerGivesTheClaimBack()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.Unavailable);

        var unavailable = await Assert.ThrowsAsync<LpCallException>(() => Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.Equal(LpFailure.Unavailable, unavailable.Failure);
        Assert.False(unavailable.MayHaveRun);
        var released = await StoredAsync(submission.Id);
        Assert.Null(released.LpRunClaimId);
        Assert.Equal(_lp[submission.Id].QueueIds.Single(), released.LpQueueId); // the queue stays

        var report = await Workflow().RunAsync(submission, ReportPath.Async, Cancellation);

        var lp = _lp[submission.Id];
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal((1, 2, 1, 0), (lp.SetQueueCalls, lp.RunCalls, lp.RunExecutions, lp.Lookups));
    }

    [Fact]
    public async Task AnUnknownQueueQueuesTheReportAgain()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.UnknownQueue);

        var report = await Workflow().RunAsync(submission, ReportPath.Async, Cancellation);

        var lp = _lp[submission.Id];
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal((2, 2, 1), (lp.SetQueueCalls, lp.RunCalls, lp.RunExecutions));
        Assert.Equal(lp.QueueIds[1], report.LpQueueId);
    }

    [Fact]
    public async Task QueueingAgainIsBounded()
    {
        var submission = NewSubmission();
        _lp.FailNextRuns(RunFault.UnknownQueue, RunFault.UnknownQueue, RunFault.UnknownQueue, RunFault.UnknownQueue);

        var failure = await Assert.ThrowsAsync<LpCallException>(() => Workflow().RunAsync(submission, ReportPath.Async, Cancellation));

        Assert.Equal(LpFailure.UnknownQueue, failure.Failure);
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

        var conflict = await Assert.ThrowsAsync<IdempotencyConflictException>(() =>
            Workflow().RunAsync(submission with { Title = "Another report" }, ReportPath.Async, Cancellation));

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
        var first = await Workflow().RunAsync(submission, ReportPath.Sync, Cancellation);

        var repeat = await Workflow().RunAsync(submission, ReportPath.Async, Cancellation);

        Assert.Equal((ReportStatus.Completed, first.LpRunId), (repeat.Status, repeat.LpRunId));
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
        new(Context(), _lp.Client(), clock ?? TimeProvider.System, Options.Create(Timing), NullLogger<ReportWorkflow>.Instance);

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
