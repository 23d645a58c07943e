using Confluent.Kafka;
using Npgsql;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Submissions;
using ReportPoc.Reports.Workflow;
using ReportPoc.ServiceDefaults.Kafka;

namespace ReportPoc.Processor.Workflow;

/// <summary>
/// Runs the shared workflow for one ReportSubmitted message with the retry rules of the async path:
/// transient LP failures are retried with exponential backoff and jitter up to MaxAttempts, then the report is
/// Failed and dead-lettered; an unreachable database is waited out without limit (nothing is committed meanwhile);
/// a message that is not a valid ReportSubmitted goes straight to the dead-letter topic.
/// </summary>
public sealed class SubmissionHandler(
    IServiceScopeFactory scopes,
    DeadLetters deadLetters,
    ReportsTelemetry telemetry,
    ProcessingOptions options,
    TimeProvider clock,
    ILogger<SubmissionHandler> logger)
{
    public async Task HandleAsync(ConsumeResult<string, byte[]> message, CancellationToken cancellationToken)
    {
        using var activity = message.StartProcessActivity(options.ConsumerGroup);
        telemetry.InFlightChanged(1);
        try
        {
            var submission = ReportSubmitted.TryParse(message.Message.Value);
            if (submission is null)
            {
                await deadLetters.SendAsync(message, "poison", "Not a valid ReportSubmitted message.", cancellationToken);
                return;
            }

            activity?.SetTag("report.id", submission.Id);
            await RunWithRetriesAsync(message, submission, cancellationToken);
        }
        finally
        {
            telemetry.InFlightChanged(-1);
        }
    }

    private async Task RunWithRetriesAsync(ConsumeResult<string, byte[]> message, ReportSubmitted submission, CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        for (int attempt = 1, databaseOutages = 0; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var workflow = scope.ServiceProvider.GetRequiredService<ReportWorkflow>();
            try
            {
                var report = await workflow.RunAsync(submission, ReportPath.Async, cancellationToken);
                if (report.Status == ReportStatus.Completed && report.CompletedAt >= started)
                {
                    telemetry.Completed(report);
                }

                return;
            }
            catch (Exception exception) when (IsDatabaseUnavailable(exception) && !cancellationToken.IsCancellationRequested)
            {
                // Not the report's fault and not counted against it: wait for the database, commit nothing meanwhile.
                attempt--;
                databaseOutages++;
                logger.LogWarning("Report {ReportId}: database unavailable ({Reason}); retrying", submission.Id, exception.Message);
                await Task.Delay(Backoff(databaseOutages), clock, cancellationToken);
            }
            catch (LpCallException exception) when (exception.IsTransient && attempt < options.MaxAttempts)
            {
                telemetry.Retried();
                logger.LogInformation("Report {ReportId}: attempt {Attempt} failed transiently ({Reason}); retrying", submission.Id, attempt, exception.Message);
                await workflow.RecordFailureAsync(submission.Id, exception.Message, final: false, cancellationToken);
                await Task.Delay(Backoff(attempt), clock, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                var reason = exception is LpCallException ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
                logger.LogError(exception, "Report {ReportId} failed after {Attempts} attempt(s)", submission.Id, attempt);
                await workflow.RecordFailureAsync(submission.Id, reason, final: true, cancellationToken);
                telemetry.Failed(ReportPath.Async);
                await deadLetters.SendAsync(message, "failed", reason, cancellationToken);
                return;
            }
        }
    }

    /// <summary>Exponential backoff with full jitter, capped.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(options.RetryMaxDelay.TotalMilliseconds, options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
