using ReportPoc.Benchmark.Processes;

namespace ReportPoc.Benchmark.Memory;

public sealed record MemorySample(double Seconds, double RssMb);

public sealed record ServiceMemoryResult(string Service, int Processes, double RssBeforeMb, double RssAfterMb, double PeakWorkingSetMb, IReadOnlyList<MemorySample> Timeline);

/// <summary>
/// Working sets of this machine's ReportPoc service processes, read from /proc: VmRSS now and VmHWM (the peak since
/// the process started). A process belongs to a service when one of its arguments is the service's executable or dll,
/// which leaves out `dotnet run` wrappers and this tool. Several systems may run at once (the test suite starts its
/// own), so a process counts only if its Kafka connection string is the measured system's. Only works when the system
/// runs on this machine.
/// </summary>
public static class ServiceMemory
{
    private const string KafkaVariable = "ConnectionStrings__kafka=";

    public static IReadOnlyList<int> FindProcesses(string service, string? kafka = null) => Directory.EnumerateDirectories("/proc")
        .Select(Path.GetFileName)
        .Where(name => name!.All(char.IsAsciiDigit))
        .Select(name => int.Parse(name!))
        .Where(pid => IsService(pid, service) && (kafka is null || KafkaOf(pid) == kafka))
        .ToList();

    /// <summary>The Kafka bootstrap servers a service process was started with: one per running system.</summary>
    public static string? KafkaOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0')
                .FirstOrDefault(variable => variable.StartsWith(KafkaVariable, StringComparison.Ordinal))?[KafkaVariable.Length..];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static (double RssMb, double PeakMb)? Read(int pid)
    {
        try
        {
            var lines = File.ReadAllLines($"/proc/{pid}/status");
            return (SystemProcesses.StatusField(lines, "VmRSS:") / 1024.0, SystemProcesses.StatusField(lines, "VmHWM:") / 1024.0);
        }
        catch (IOException)
        {
            return null; // The process ended meanwhile.
        }
    }

    private static bool IsService(int pid, string service)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')
                .Select(Path.GetFileName)
                .Any(argument => argument == service || argument == service + ".dll");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>Samples the services' working sets once a second while a scenario runs.</summary>
public sealed class MemoryWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, IReadOnlyList<int>> _processes;
    private readonly Dictionary<string, List<MemorySample>> _timelines;
    private readonly Dictionary<string, double> _before;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public MemoryWatch(string? kafka, params string[] services)
    {
        _processes = services.ToDictionary(service => service, service => ServiceMemory.FindProcesses(service, kafka));
        _timelines = services.ToDictionary(service => service, _ => new List<MemorySample>());
        _before = services.ToDictionary(service => service, LargestRss);
        _sampling = SampleAsync();
    }

    public bool FoundAll => _processes.Values.All(pids => pids.Count > 0);

    public async Task<IReadOnlyList<ServiceMemoryResult>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        return _processes.Select(service => new ServiceMemoryResult(
            service.Key,
            service.Value.Count,
            _before[service.Key],
            LargestRss(service.Key),
            service.Value.Select(ServiceMemory.Read).Max(read => read?.PeakMb) ?? double.NaN,
            _timelines[service.Key])).ToList();
    }

    private async Task SampleAsync()
    {
        var started = DateTime.UtcNow;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var service in _processes.Keys)
                {
                    _timelines[service].Add(new MemorySample((DateTime.UtcNow - started).TotalSeconds, LargestRss(service)));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>With several replicas, the largest one: each is a separate process with its own bound.</summary>
    private double LargestRss(string service) => _processes[service].Select(ServiceMemory.Read).Max(read => read?.RssMb) ?? double.NaN;

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
