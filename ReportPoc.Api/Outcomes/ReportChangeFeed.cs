using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReportPoc.Api.Compatibility;
using ReportPoc.Contracts;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Outcomes;

/// <summary>
/// This instance's one subscription to report changes: a single PostgreSQL connection LISTENing on
/// <see cref="ReportChangeNotifications.Channel"/>. A notification for a watched report makes the feed read that row
/// once (one query for every change announced meanwhile, however many watchers) and hand it to each watcher.
/// Every time it (re)connects it hands every watcher its row again, since changes committed while it was not
/// listening were announced to nobody. The same connection keeps the operators' client paths current
/// (<see cref="ClientPathDirectory"/>, channel <see cref="ReportChangeNotifications.ClientPathChannel"/>).
/// </summary>
public sealed class ReportChangeFeed(IConfiguration configuration, IServiceScopeFactory scopes, ClientPathDirectory clientPaths, ILogger<ReportChangeFeed> logger)
    : BackgroundService
{
    /// <summary>Rows read per query when many reports change at once.</summary>
    private const int MaxReadBatch = 500;

    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    private readonly Dictionary<Guid, List<ReportWatch>> _watches = [];
    private readonly Lock _lock = new();
    private readonly Channel<Guid> _changed = Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Client ids whose path changed; null: read them all (the feed has just started listening).</summary>
    private readonly Channel<string?> _clientPathsChanged = Channel.CreateUnbounded<string?>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Whether the feed is listening now (false while it reconnects).</summary>
    public bool IsListening { get; private set; }

    /// <summary>
    /// Starts watching a report: from now on, every committed change of its row reaches <see cref="ReportWatch.Changes"/>
    /// (consecutive changes may arrive as the latest row only). Watch before reading the row, so no change falls between.
    /// </summary>
    public ReportWatch Watch(Guid reportId)
    {
        var watch = new ReportWatch(reportId, this);
        lock (_lock)
        {
            if (!_watches.TryGetValue(reportId, out var watches))
            {
                _watches[reportId] = watches = [];
            }

            watches.Add(watch);
        }

        return watch;
    }

    internal void Unwatch(ReportWatch watch)
    {
        lock (_lock)
        {
            if (_watches.TryGetValue(watch.ReportId, out var watches) && watches.Remove(watch) && watches.Count == 0)
            {
                _watches.Remove(watch.ReportId);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), DispatchAsync(stoppingToken), ReloadClientPathsAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(ResourceNames.ReportsDatabase))
        {
            // A dead server or network is noticed within seconds, not when TCP gives up.
            KeepAlive = 5,
            Pooling = false,
        }.ConnectionString;

        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, notification) =>
                {
                    if (notification.Channel == ReportChangeNotifications.ClientPathChannel)
                    {
                        _clientPathsChanged.Writer.TryWrite(notification.Payload);
                    }
                    else if (Guid.TryParse(notification.Payload, out var id))
                    {
                        _changed.Writer.TryWrite(id);
                    }
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand(
                    $"LISTEN {ReportChangeNotifications.Channel}; LISTEN {ReportChangeNotifications.ClientPathChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                IsListening = true;
                delay = TimeSpan.FromMilliseconds(200);
                logger.LogInformation("Listening for report changes on {Channel}", ReportChangeNotifications.Channel);
                RefreshAllWatched();
                _clientPathsChanged.Writer.TryWrite(null);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                IsListening = false;
                clientPaths.MarkStale();
                logger.LogWarning("Report change feed interrupted, reconnecting in {Delay}: {Reason}", delay, exception.Message);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private void RefreshAllWatched()
    {
        lock (_lock)
        {
            foreach (var id in _watches.Keys)
            {
                _changed.Writer.TryWrite(id);
            }
        }
    }

    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<Guid>();
        while (await _changed.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxReadBatch && _changed.Reader.TryRead(out var id))
            {
                if (IsWatched(id))
                {
                    batch.Add(id);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
                var ids = batch.ToArray();
                foreach (var report in await db.Reports.AsNoTracking().Where(r => ids.Contains(r.Id)).ToListAsync(stoppingToken))
                {
                    Deliver(report);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Not lost: the same rows are read again after a pause, until the database answers; each stream's heartbeat
                // keeps its client waiting meanwhile.
                logger.LogWarning("Could not read {Count} changed report(s): {Reason}", batch.Count, exception.Message);
                foreach (var id in batch)
                {
                    _changed.Writer.TryWrite(id);
                }

                await Task.Delay(MaxReconnectDelay, stoppingToken);
            }
        }
    }

    private async Task ReloadClientPathsAsync(CancellationToken stoppingToken)
    {
        while (await _clientPathsChanged.Reader.WaitToReadAsync(stoppingToken))
        {
            var changed = new HashSet<string>(StringComparer.Ordinal);
            var all = false;
            while (_clientPathsChanged.Reader.TryRead(out var clientId))
            {
                all |= clientId is null;
                if (clientId is not null)
                {
                    changed.Add(clientId);
                }
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ReportsDbContext>();
                if (all)
                {
                    await clientPaths.ReloadAllAsync(db, stoppingToken);
                    continue;
                }

                foreach (var clientId in changed)
                {
                    await clientPaths.ReloadAsync(clientId, db, stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Until the rows are read, requests read their client's row themselves.
                logger.LogWarning("Could not read the client paths: {Reason}", exception.Message);
                clientPaths.MarkStale();
                _clientPathsChanged.Writer.TryWrite(null);
                await Task.Delay(MaxReconnectDelay, stoppingToken);
            }
        }
    }

    private bool IsWatched(Guid id)
    {
        lock (_lock)
        {
            return _watches.ContainsKey(id);
        }
    }

    private void Deliver(Report report)
    {
        ReportWatch[] watches;
        lock (_lock)
        {
            watches = _watches.TryGetValue(report.Id, out var list) ? [.. list] : [];
        }

        foreach (var watch in watches)
        {
            watch.Offer(report);
        }
    }
}

/// <summary>One watcher of one report (a stream, or a bridge request waiting for the outcome). Dispose to stop watching.</summary>
public sealed class ReportWatch : IDisposable
{
    private readonly ReportChangeFeed _feed;

    // Only the latest row matters: it carries every change before it, and a slow reader must not hold the others up.
    private readonly Channel<Report> _changes = Channel.CreateBounded<Report>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    internal ReportWatch(Guid reportId, ReportChangeFeed feed)
    {
        ReportId = reportId;
        _feed = feed;
    }

    public Guid ReportId { get; }

    public ChannelReader<Report> Changes => _changes.Reader;

    internal void Offer(Report report) => _changes.Writer.TryWrite(report);

    public void Dispose() => _feed.Unwatch(this);
}
