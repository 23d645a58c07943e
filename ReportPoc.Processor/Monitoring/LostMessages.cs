using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReportPoc.Reports.Data;

namespace ReportPoc.Processor.Monitoring;

/// <summary>
/// Where a gap in the log is raised (docs/design.md, "No silent loss"): a warning log with the partition and the offset
/// range, the counters reports.processor.lost_messages and reports.processor.log_gaps, this instance's health (degraded
/// for <see cref="DegradedFor"/> after the last gap), and a row in lost_message_ranges, which the Api's /api/system joins
/// with the accepted-messages ledger to name the reports. A row the database cannot take now is kept and written later.
/// </summary>
public sealed class LostMessages : IHealthCheck
{
    public const string HealthCheckName = "kafka-log-position";

    /// <summary>Long enough for an alert to be seen; the counters and the database keep the loss for good.</summary>
    public static readonly TimeSpan DegradedFor = TimeSpan.FromMinutes(15);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger<LostMessages> _logger;
    private readonly Counter<long> _lost;
    private readonly Counter<long> _gaps;
    private readonly ConcurrentQueue<LostMessageRange> _unwritten = new();
    private long _lastGapTicks;

    public LostMessages(IServiceScopeFactory scopes, IMeterFactory meters, TimeProvider clock, ILogger<LostMessages> logger)
    {
        _scopes = scopes;
        _clock = clock;
        _logger = logger;
        var meter = meters.Create(ProcessorTelemetry.MeterName);
        _lost = meter.CreateCounter<long>("reports.processor.lost_messages", "{message}",
            "Messages of reports.submitted that were gone from the log before this instance read them, by partition.");
        _gaps = meter.CreateCounter<long>("reports.processor.log_gaps", "{gap}",
            "Gaps found between a partition's consumer position and the log's start, by partition.");
    }

    /// <summary>Offsets [<paramref name="from"/>, <paramref name="to"/>) of the partition are gone from the log.</summary>
    public void Found(TopicPartition partition, long from, long to, string how)
    {
        var partitionTag = new KeyValuePair<string, object?>("partition", partition.Partition.Value);
        _lost.Add(to - from, partitionTag);
        _gaps.Add(1, partitionTag);
        Interlocked.Exchange(ref _lastGapTicks, _clock.GetUtcNow().UtcTicks);
        _logger.LogWarning("LOST MESSAGES: {Topic} [{Partition}] offsets {From}..{Last} ({Count} message(s)) left the log before they were read ({How}); " +
            "GET /api/system names their reports", partition.Topic, partition.Partition.Value, from, to - 1, to - from, how);
        _unwritten.Enqueue(new LostMessageRange
        {
            Topic = partition.Topic,
            Partition = partition.Partition.Value,
            FromOffset = from,
            ToOffset = to,
            DetectedAt = _clock.GetUtcNow(),
            InstanceId = ThisInstance.Id,
        });
    }

    /// <summary>Writes the ranges found so far; what the database cannot take now stays for the next call.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        if (_unwritten.IsEmpty)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
            while (_unwritten.TryPeek(out var range))
            {
                // Another instance (or this one under an earlier assignment) may have recorded part of it already.
                var recordedUpTo = await db.LostMessageRanges
                    .Where(recorded => recorded.Topic == range.Topic && recorded.Partition == range.Partition && recorded.FromOffset <= range.FromOffset)
                    .MaxAsync(recorded => (long?)recorded.ToOffset, cancellationToken) ?? range.FromOffset;
                if (recordedUpTo < range.ToOffset)
                {
                    range.FromOffset = Math.Max(range.FromOffset, recordedUpTo);
                    db.LostMessageRanges.Add(range);
                    await db.SaveChangesAsync(cancellationToken);
                }

                _unwritten.TryDequeue(out _);
            }
        }
        catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception) || exception is DbUpdateException)
        {
            _logger.LogWarning("Lost-message range(s) not recorded yet ({Count} waiting): {Reason}", _unwritten.Count, exception.Message);
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var last = Interlocked.Read(ref _lastGapTicks);
        return Task.FromResult(last != 0 && _clock.GetUtcNow() - new DateTimeOffset(last, TimeSpan.Zero) < DegradedFor
            ? HealthCheckResult.Degraded($"Messages of reports.submitted were lost from the log at {new DateTimeOffset(last, TimeSpan.Zero):u}; see /api/system.")
            : HealthCheckResult.Healthy());
    }
}
