namespace ReportPoc.Benchmark.Memory;

/// <summary>
/// Watches for something else competing for this machine's cores while a measurement runs: a test run, or another
/// ReportPoc system (told apart by its Kafka connection string). Such measurements are repeated or flagged, never
/// silently reported.
/// </summary>
public sealed class OtherLoad : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly string? _ownKafka;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile bool _seen;

    private OtherLoad(string? ownKafka)
    {
        _ownKafka = ownKafka;
        _seen = IsPresent(ownKafka);
        _watching = WatchAsync();
    }

    /// <summary>Whether other load was present at any check since the watch started.</summary>
    public bool Seen => _seen;

    public static OtherLoad Watch(string? ownKafka) => new(ownKafka);

    public static bool IsPresent(string? ownKafka) =>
        ServiceMemory.FindProcesses("ReportPoc.Tests").Count > 0
        || ServiceMemory.FindProcesses("ReportPoc.Api").Any(pid => ownKafka is null || ServiceMemory.KafkaOf(pid) != ownKafka);

    /// <returns>True once the machine is quiet; false if it was not within the timeout.</returns>
    public static async Task<bool> WaitForQuietAsync(string? ownKafka, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsPresent(ownKafka))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(Interval, cancellationToken);
        }

        return true;
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (!_seen && await timer.WaitForNextTickAsync(_stop.Token))
            {
                _seen |= IsPresent(_ownKafka);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
