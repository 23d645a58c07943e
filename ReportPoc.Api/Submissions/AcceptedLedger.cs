using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.EntityFrameworkCore;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// Records where the broker put each accepted report (accepted_messages: report id → partition and offset, from the
/// delivery report), so that messages lost from the log name their reports (docs/design.md, "No silent loss"). Off the
/// accept path: the 202 never waits for it (accepting must not depend on the database); rows are written in batches of
/// up to <see cref="BatchSize"/>, one statement each, at most <see cref="FlushInterval"/> after they were recorded: under
/// accept load one statement a second or per thousand rows, not one per handful (about 100 a second with hey at 64
/// connections, each a round trip, a span and a console and an exported log record; docs/benchmarks.md). On a graceful
/// stop the rows not yet written are written. While the database is down they queue in memory (up to
/// <see cref="Capacity"/>; beyond that a row is dropped and counted, and a loss of its message names no report).
/// </summary>
public sealed class AcceptedLedger(IServiceScopeFactory scopes, IMeterFactory meters, ILogger<AcceptedLedger> logger) : BackgroundService
{
    public const int Capacity = 100_000;
    public const int BatchSize = 1_000;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FinalWriteTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<AcceptedMessage> _rows = Channel.CreateBounded<AcceptedMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Counter<long> _dropped = meters.Create("ReportPoc.Api").CreateCounter<long>("reports.api.ledger_dropped", "{report}",
        "Accepted reports whose broker position was not recorded (the database was down for longer than the ledger's queue holds).");

    public void Record(Guid reportId, TopicPartitionOffset stored, DateTimeOffset acceptedAt)
    {
        if (!_rows.Writer.TryWrite(new AcceptedMessage { ReportId = reportId, Partition = stored.Partition.Value, Offset = stored.Offset.Value, AcceptedAt = acceptedAt }))
        {
            _dropped.Add(1);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AcceptedMessage>(BatchSize);
        try
        {
            while (await _rows.Reader.WaitToReadAsync(stoppingToken))
            {
                if (batch.Count == 0 && _rows.Reader.Count < BatchSize)
                {
                    await Task.Delay(FlushInterval, stoppingToken);
                }

                Fill(batch);
                try
                {
                    await WriteAsync(batch, stoppingToken);
                    batch.Clear();
                }
                catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
                {
                    logger.LogDebug("Accepted-messages ledger: {Count} row(s) wait for the database: {Reason}", batch.Count, exception.Message);
                    await Task.Delay(RetryDelay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await WriteRemainingAsync(batch);
        }
    }

    /// <summary>On a graceful stop: what was recorded and not yet written, in one bounded attempt.</summary>
    private async Task WriteRemainingAsync(List<AcceptedMessage> batch)
    {
        using var timeout = new CancellationTokenSource(FinalWriteTimeout);
        try
        {
            do
            {
                Fill(batch);
                if (batch.Count > 0)
                {
                    await WriteAsync(batch, timeout.Token);
                }

                batch.Clear();
            }
            while (_rows.Reader.Count > 0);
        }
        catch (Exception exception) when (exception is OperationCanceledException || DatabaseFailures.IsUnavailable(exception))
        {
            _dropped.Add(batch.Count + _rows.Reader.Count);
            logger.LogWarning("Accepted-messages ledger: {Count} row(s) not written at shutdown: {Reason}", batch.Count + _rows.Reader.Count, exception.Message);
        }
    }

    private void Fill(List<AcceptedMessage> batch)
    {
        while (batch.Count < BatchSize && _rows.Reader.TryRead(out var row))
        {
            batch.Add(row);
        }
    }

    private async Task WriteAsync(List<AcceptedMessage> batch, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
        var ids = batch.Select(row => row.ReportId).ToArray();
        var partitions = batch.Select(row => row.Partition).ToArray();
        var offsets = batch.Select(row => row.Offset).ToArray();
        var acceptedAt = batch.Select(row => row.AcceptedAt.ToUniversalTime()).ToArray();
        // A report sent again under its Idempotency-Key before it was stored has a second message: the later one counts.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO accepted_messages ("ReportId", "Partition", "Offset", "AcceptedAt")
            SELECT DISTINCT ON (id) id, part, off, at FROM unnest({ids}, {partitions}, {offsets}, {acceptedAt}) WITH ORDINALITY AS row(id, part, off, at, n)
            ORDER BY id, n DESC
            ON CONFLICT ("ReportId") DO UPDATE SET "Partition" = EXCLUDED."Partition", "Offset" = EXCLUDED."Offset", "AcceptedAt" = EXCLUDED."AcceptedAt"
            """, cancellationToken);
    }
}
