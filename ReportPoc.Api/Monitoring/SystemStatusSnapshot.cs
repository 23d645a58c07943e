using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Lp;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// What GET /api/system answers. Measuring costs two blocking Kafka admin calls (up to seconds each during a broker
/// outage), an LP call and two queries, so it is not done per request: one refresh at a time, at most once per
/// <see cref="MaxAge"/>, shared by every request that arrives meanwhile, so any number of readers costs the
/// dependencies one measurement a second. A part that cannot be measured is null; why is logged, never answered.
/// </summary>
public sealed class SystemStatusSnapshot(IServiceScopeFactory scopes, TimeProvider clock, ILogger<SystemStatusSnapshot> logger)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Bounds a refresh (each Kafka call has its own 3 s): a hung dependency cannot hold every reader.</summary>
    private static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private SystemStatus? _latest;
    private long _latestAt;
    private Task<SystemStatus>? _refresh;

    public Task<SystemStatus> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_latest is not null && clock.GetElapsedTime(_latestAt) < MaxAge)
            {
                return Task.FromResult(_latest);
            }

            // Off the request: a reader that goes away does not cancel the refresh the others wait for. The lock is
            // held until _refresh is set, so the refresh cannot clear it before.
            _refresh ??= Task.Run(RefreshAsync, CancellationToken.None);
            return _refresh.WaitAsync(cancellationToken);
        }
    }

    private async Task<SystemStatus> RefreshAsync()
    {
        try
        {
            var status = await MeasureAsync();
            lock (_lock)
            {
                _latest = status;
                _latestAt = clock.GetTimestamp();
            }

            return status;
        }
        finally
        {
            lock (_lock)
            {
                _refresh = null;
            }
        }
    }

    private async Task<SystemStatus> MeasureAsync()
    {
        using var timeout = new CancellationTokenSource(RefreshTimeout, clock);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;

        var lpStatsRead = OrNullAsync(() => services.GetRequiredService<LpClient>().GetStatsAsync(timeout.Token), "LP stats");
        var kafkaBacklog = await OrNullAsync(services.GetRequiredService<BacklogProbe>().MeasureAsync, "Kafka backlog");
        var lpStats = await lpStatsRead;
        // The bottleneck is judged from LP's slots and the partition count, so the processors are measured last.
        var processors = await OrNullAsync(() => services.GetRequiredService<ProcessingProbe>().MeasureAsync(kafkaBacklog, lpStats, timeout.Token),
            "processor instances");
        var lostMessages = await OrNullAsync(() => services.GetRequiredService<LostMessagesProbe>().MeasureAsync(timeout.Token), "lost messages");
        return new SystemStatus(lpStats, kafkaBacklog, processors, lostMessages, services.GetRequiredService<BrokerLogCapacity>().Occupancy);
    }

    private async Task<T?> OrNullAsync<T>(Func<Task<T>> probe, string what) where T : class
    {
        try
        {
            return await probe();
        }
        catch (Exception exception)
        {
            // Whatever went wrong (an outage, a timeout, a bug) is the operators' to read; the page shows "unreachable".
            logger.LogDebug(exception, "{What} unavailable", what);
            return null;
        }
    }
}
