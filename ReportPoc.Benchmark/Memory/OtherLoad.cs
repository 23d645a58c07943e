namespace ReportPoc.Benchmark.Memory;

/// <summary>
/// Watches for something else competing for this machine's cores while a measurement runs: a test run, or another
/// ReportPoc system (told apart by its Kafka connection string). Such measurements are repeated or flagged, never
/// silently reported.
/// </summary>
public sealed class OtherLoad : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const double BusyCores = 0.1;

    private readonly string? _ownKafka;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile bool _seen;

    private OtherLoad(string? ownKafka)
    {
        _ownKafka = ownKafka;
        _watching = WatchAsync();
    }

    /// <summary>Whether other load was busy at any check since the watch started.</summary>
    public bool Seen => _seen;

    public static OtherLoad Watch(string? ownKafka) => new(ownKafka);

    /// <summary>
    /// Busy means the test host or another system's Api/Processor used over a tenth of a core in the last second; an
    /// idle leftover process does not count.
    /// </summary>
    public static async Task<bool> IsBusyAsync(string? ownKafka, CancellationToken cancellationToken = default)
    {
        var foreign = ServiceMemory.FindProcesses("ReportPoc.Tests")
            .Concat(new[] { "ReportPoc.Api", "ReportPoc.Processor" }
                .SelectMany(service => ServiceMemory.FindProcesses(service))
                // Without the measured system's Kafka address no other system can be told from it: only a test run counts then.
                .Where(pid => ownKafka is not null && ServiceMemory.KafkaOf(pid) != ownKafka))
            .ToList();
        if (foreign.Count == 0)
        {
            return false;
        }

        var before = CpuSeconds(foreign);
        await Task.Delay(Interval, cancellationToken);
        return CpuSeconds(foreign) - before > BusyCores * Interval.TotalSeconds;
    }

    /// <returns>True once the machine is quiet; false if it was not within the timeout.</returns>
    public static async Task<bool> WaitForQuietAsync(string? ownKafka, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await IsBusyAsync(ownKafka, cancellationToken))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>User + system CPU time of the processes, from /proc/{pid}/stat (in USER_HZ ticks, 100 a second on Linux).</summary>
    private static double CpuSeconds(IEnumerable<int> pids) => pids.Sum(pid =>
    {
        try
        {
            // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[14 - 3]) + long.Parse(fields[15 - 3])) / 100.0;
        }
        catch (IOException)
        {
            return 0; // Ended meanwhile.
        }
    });

    private async Task WatchAsync()
    {
        try
        {
            // Yield first: IsBusyAsync completes synchronously when nothing foreign runs, and this loop starts in the constructor.
            while (!_seen)
            {
                await Task.Delay(Interval, _stop.Token);
                _seen |= await IsBusyAsync(_ownKafka, _stop.Token);
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
