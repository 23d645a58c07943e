using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Processor.Handling;

/// <summary>
/// Runs the shared workflow for one ReportSubmitted message with the async path's rules (docs/design.md §5):
/// <list type="bullet">
/// <item>LP or the database unavailable is not the report's fault: the report waits (the consumer pauses while the
/// dependency is down) and is retried, however long that takes; its attempts are not spent.</item>
/// <item>LP refusing the report is: after Processing:MaxRejectedAttempts refusals it is dead-lettered, then Failed.</item>
/// <item>An unexpected exception is retried with backoff; after Processing:MaxUnexpectedErrors it is dead-lettered, then Failed.</item>
/// <item>A message that is not a ReportSubmitted, or reuses an Idempotency-Key for other content, is dead-lettered at once.</item>
/// </list>
/// Returning means the message is done and its offset may be committed; OperationCanceledException hands it back.
/// </summary>
public sealed class SubmissionHandler(
    IServiceScopeFactory scopes,
    DeadLetters deadLetters,
    Dependencies dependencies,
    ReportsTelemetry telemetry,
    ProcessorTelemetry processorTelemetry,
    OutcomeAlarm alarm,
    IOptions<ProcessingOptions> options,
    IOptions<MessagingOptions> messaging,
    TimeProvider clock,
    ILogger<SubmissionHandler> logger)
{
    private readonly ProcessingOptions _options = options.Value;

    public async Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = message.StartProcessActivity(messaging.Value.ConsumerGroup);
        var submission = ReportSubmitted.TryParse(message.Message.Value);
        if (submission is null)
        {
            // Refused for good, the message's fate is in the alarm only: there is no report to mark.
            _ = await deadLetters.SendAsync(message, DeadLetterReasons.Poison, "Not a valid ReportSubmitted message.", cancellationToken);
            return;
        }

        activity?.SetTag("report.id", submission.Id);
        await ProcessAsync(message, submission, cancellationToken);
    }

    private async Task ProcessAsync(ConsumeResult<string, byte[]> message, ReportSubmitted submission, CancellationToken cancellationToken)
    {
        var attempt = new Attempt(message, submission, clock.GetUtcNow());
        try
        {
            await RetryUntilDoneAsync(attempt, cancellationToken);
        }
        finally
        {
            attempt.Stall?.Dispose();
        }
    }

    /// <summary>Runs the workflow and applies its outcome until the message is done; outages and errors are backed off.</summary>
    private async Task RetryUntilDoneAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var submission = attempt.Submission;
        while (true)
        {
            await WaitForDependenciesAsync(cancellationToken);
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<ReportStore>();
            try
            {
                if (attempt.Failure is { } failure)
                {
                    await FailAsync(store, attempt, failure.Reason, failure.Error, cancellationToken);
                    return;
                }

                var workflow = scope.ServiceProvider.GetRequiredService<ReportWorkflow>();
                var outcome = await workflow.RunAsync(submission, ReportPath.Async, cancellationToken);
                dependencies.Observe(outcome, attempt.StartedAt);
                if (await FinishAsync(store, attempt, outcome, cancellationToken))
                {
                    return;
                }
            }
            catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
            {
                // Met while recording LP's refusal or the report's end; the workflow gives any other outage as its outcome.
                dependencies.Observe(new WorkflowOutcome.Unavailable(WorkflowOutcome.Unavailable.Database, exception.Message), attempt.StartedAt);
                StallIfDecided(attempt, exception);
                await WaitAfterOutageAsync(null, attempt, "database", exception.Message, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                attempt.UnexpectedErrors++;
                logger.LogError(exception, "Report {ReportId}: unexpected error {Count} of {Max}", submission.Id, attempt.UnexpectedErrors, _options.MaxUnexpectedErrors);
                if (attempt.UnexpectedErrors >= _options.MaxUnexpectedErrors && attempt.Failure is null)
                {
                    processorTelemetry.Abandoned();
                    attempt.Failure = (DeadLetterReasons.ProcessingError, $"{exception.GetType().Name}: {exception.Message}");
                }
                else
                {
                    StallIfDecided(attempt, exception);
                }

                // Also while ending the report (its marking as Failed throws): backoff, never a hot loop.
                telemetry.Retried();
                await Task.Delay(Backoff(attempt.UnexpectedErrors), clock, cancellationToken);
            }
        }
    }

    /// <summary>What the workflow's outcome means on the async path; true when the message is done.</summary>
    private async Task<bool> FinishAsync(ReportStore store, Attempt attempt, WorkflowOutcome outcome, CancellationToken cancellationToken)
    {
        switch (outcome)
        {
            case WorkflowOutcome.Completed { Report: var report }:
                if (report.CompletedAt >= attempt.StartedAt)
                {
                    telemetry.Completed(report);
                    processorTelemetry.ReportCompleted();
                }

                return true;

            case WorkflowOutcome.Failed { Report: var report }:
                // Failed earlier: by this path before a crash came between the dead letter and the row, or by the sync
                // path under the same key before any processor saw this message. Either way the message in hand was
                // accepted on the async path, and every such report that fails has its dead letter. The sync path fails a
                // report only on LP's refusal.
                if (report.DeadLetteredAt is null)
                {
                    var reason = report.Path == ReportPath.Sync || report.RejectedAttempts >= _options.MaxRejectedAttempts
                        ? DeadLetterReasons.Rejected
                        : DeadLetterReasons.ProcessingError;
                    attempt.Failure = (reason, report.LastError ?? "failed earlier");
                    await FailAsync(store, attempt, reason, report.LastError ?? "failed earlier", cancellationToken);
                }

                return true;

            case WorkflowOutcome.Refused { Report: var report, Reason: var reason }:
                if (report.RejectedAttempts >= _options.MaxRejectedAttempts)
                {
                    attempt.Failure = (DeadLetterReasons.Rejected, reason);
                    await FailAsync(store, attempt, DeadLetterReasons.Rejected, reason, cancellationToken);
                    return true;
                }

                telemetry.Retried();
                logger.LogInformation("Report {ReportId}: LP refused attempt {Attempt} of {Max}: {Reason}",
                    attempt.Submission.Id, report.RejectedAttempts, _options.MaxRejectedAttempts, reason);
                await Task.Delay(Backoff(report.RejectedAttempts), clock, cancellationToken);
                return false;

            case WorkflowOutcome.Unavailable { Dependency: var dependency, Reason: var reason }:
                await WaitAfterOutageAsync(dependency == WorkflowOutcome.Unavailable.Database ? null : store, attempt, dependency, reason, cancellationToken);
                return false;

            case WorkflowOutcome.InProgressElsewhere { Reason: var reason }:
                // LP keeps the run going: not the report's fault, and no one may call LPRUN again. Follow it later.
                await WaitAfterOutageAsync(store, attempt, WorkflowOutcome.Unavailable.Lp, reason, cancellationToken);
                return false;

            case WorkflowOutcome.Conflict { Existing: var existing }:
                // The key's report is someone else's content: leave it alone, and make this message's fate visible.
                _ = await deadLetters.SendAsync(attempt.Message, DeadLetterReasons.IdempotencyConflict,
                    $"Idempotency-Key '{existing.IdempotencyKey}' already names report {existing.Id} with different content.", cancellationToken);
                return true;

            default:
                throw new InvalidOperationException($"Unknown workflow outcome {outcome}.");
        }
    }

    /// <summary>
    /// Dead letter first (durable), then Failed: a crash in between leaves a report that a redelivery finishes. The dead
    /// letter is published once per message, however often marking the report Failed has to be tried again. A dead
    /// letter the broker refuses for good is not tried again: the report is Failed without it (the alarm says so).
    /// </summary>
    private async Task FailAsync(ReportStore store, Attempt attempt, string reason, string error, CancellationToken cancellationToken)
    {
        attempt.DeadLettered ??= await deadLetters.SendAsync(attempt.Message, reason, error, cancellationToken);
        var report = await store.MarkFailedAsync(attempt.Submission.Id, error, deadLettered: attempt.DeadLettered.Value, cancellationToken);
        if (report is { Status: ReportStatus.Failed } && report.FailedAt >= attempt.StartedAt)
        {
            telemetry.Failed(ReportPath.Async);
        }
    }

    private async Task WaitForDependenciesAsync(CancellationToken cancellationToken)
    {
        if (dependencies.AllAvailable)
        {
            return;
        }

        using var waiting = processorTelemetry.Waiting(dependencies.Outage?.Dependency ?? "dependency");
        await dependencies.WaitUntilAvailableAsync(cancellationToken);
    }

    /// <summary>The message's end is decided but recording it failed: held, retried with backoff, and raised as stalled.</summary>
    private void StallIfDecided(Attempt attempt, Exception exception)
    {
        if (attempt.Failure is not null)
        {
            // The innermost exception names the cause (EF Core's says only "see the inner exception").
            var cause = exception.GetBaseException();
            attempt.Stall = alarm.StallOf(attempt.Submission.Id, $"{cause.GetType().Name}: {cause.Message}");
        }
    }

    /// <summary>Not counted against the report: say why it waits (when the database can be told), back off, try again.</summary>
    private async Task WaitAfterOutageAsync(ReportStore? store, Attempt attempt, string dependency, string reason, CancellationToken cancellationToken)
    {
        attempt.UnavailableRetries++;
        logger.LogInformation("Report {ReportId}: {Dependency} unavailable ({Reason}); waiting, attempt not counted", attempt.Submission.Id, dependency, reason);
        if (store is not null)
        {
            try
            {
                await store.RecordWaitAsync(attempt.Submission.Id, $"Waiting: {dependency} unavailable", cancellationToken);
            }
            catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
            {
                // Only a note for the status page; the wait goes on without it.
            }
        }

        using var waiting = processorTelemetry.Waiting(dependency);
        await Task.Delay(Backoff(attempt.UnavailableRetries), clock, cancellationToken);
    }

    /// <summary>Exponential backoff with full jitter, capped.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30) - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    /// <summary>What handling one message remembers across its tries.</summary>
    private sealed class Attempt(ConsumeResult<string, byte[]> message, ReportSubmitted submission, DateTimeOffset startedAt)
    {
        public ConsumeResult<string, byte[]> Message { get; } = message;
        public ReportSubmitted Submission { get; } = submission;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public int UnexpectedErrors { get; set; }
        public int UnavailableRetries { get; set; }

        /// <summary>Once decided, the message's end: dead-letter with this reason and mark the report Failed.</summary>
        public (string Reason, string Error)? Failure { get; set; }

        /// <summary>Null until the dead letter is settled: true once the broker has it, false if it refused it for good.</summary>
        public bool? DeadLettered { get; set; }

        /// <summary>Set while the decided end cannot be recorded; disposed when the message is done or handed back.</summary>
        public IDisposable? Stall { get; set; }
    }
}
