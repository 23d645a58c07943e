using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.Processor.Monitoring;

/// <summary>
/// Where the processor says it cannot record an outcome it has decided (docs/design.md §5.5). A report whose dead letter
/// or <c>Failed</c> state cannot be written is held and retried with backoff: it counts in the gauge
/// reports.processor.stalled_outcomes and makes this instance's health "outcome-recording" Degraded until it is written.
/// A dead letter the broker refuses for good (too large, not authorised) is not retried: it is counted in
/// reports.processor.dead_letters_refused, logged as an error and keeps the health Degraded for
/// <see cref="LostMessages.DegradedFor"/>.
/// </summary>
public sealed class OutcomeAlarm : IHealthCheck
{
    public const string HealthCheckName = "outcome-recording";

    private readonly ConcurrentDictionary<Guid, Stall> _stalled = new();
    private readonly Counter<long> _refused;
    private readonly TimeProvider _clock;
    private readonly ILogger<OutcomeAlarm> _logger;
    private long _lastRefusalTicks;

    public OutcomeAlarm(IMeterFactory meters, TimeProvider clock, ILogger<OutcomeAlarm> logger)
    {
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(ProcessorTelemetry.MeterName);
        meter.CreateObservableGauge("reports.processor.stalled_outcomes", () => (long)_stalled.Count, "{report}",
            "Reports whose outcome (dead letter, Failed) is decided but cannot be recorded; they are held and retried.");
        _refused = meter.CreateCounter<long>("reports.processor.dead_letters_refused", "{message}",
            "Dead letters the broker refused for good (not retried), by dead-letter reason and Kafka error code.");
    }

    /// <summary>The reports held now because their outcome cannot be recorded.</summary>
    public int Stalled => _stalled.Count;

    /// <summary>
    /// Recording <paramref name="reportId"/>'s outcome failed with <paramref name="error"/>; it stays stalled until the
    /// returned handle is disposed. Calling again for the same report updates its last error.
    /// </summary>
    public IDisposable StallOf(Guid reportId, string error)
    {
        var stall = _stalled.AddOrUpdate(reportId,
            _ =>
            {
                _logger.LogError("STALLED: report {ReportId}'s outcome cannot be recorded ({Error}); it is held and retried with backoff", reportId, error);
                return new Stall(this, reportId, _clock.GetUtcNow(), error);
            },
            (_, existing) => existing with { LastError = error });
        return stall;
    }

    /// <summary>The broker refused a dead letter for good: the message's fate is in this log line and the counter only.</summary>
    public void DeadLetterRefused(string source, string reason, string errorCode, string error)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("error", errorCode));
        Interlocked.Exchange(ref _lastRefusalTicks, _clock.GetUtcNow().UtcTicks);
        _logger.LogError("DEAD LETTER REFUSED: the broker will not take the dead letter of {Source} ({Reason}): {ErrorCode} {Error}; " +
            "not retried, the message stays only in its source topic until retention", source, reason, errorCode, error);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_stalled.Values.MinBy(stall => stall.Since) is { } oldest)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Stalled: {_stalled.Count} report(s) whose outcome cannot be recorded, the oldest ({oldest.ReportId}) since {oldest.Since:u}: {oldest.LastError}"));
        }

        var last = Interlocked.Read(ref _lastRefusalTicks);
        return Task.FromResult(last != 0 && _clock.GetUtcNow() - new DateTimeOffset(last, TimeSpan.Zero) < LostMessages.DegradedFor
            ? HealthCheckResult.Degraded($"A dead letter was refused by the broker at {new DateTimeOffset(last, TimeSpan.Zero):u}; see reports.processor.dead_letters_refused.")
            : HealthCheckResult.Healthy());
    }

    private sealed record Stall(OutcomeAlarm Alarm, Guid ReportId, DateTimeOffset Since, string LastError) : IDisposable
    {
        public void Dispose()
        {
            if (Alarm._stalled.TryRemove(ReportId, out _))
            {
                Alarm._logger.LogInformation("Report {ReportId}'s outcome is recorded; no longer stalled", ReportId);
            }
        }
    }
}
