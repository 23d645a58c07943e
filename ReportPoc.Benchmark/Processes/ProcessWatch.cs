namespace ReportPoc.Benchmark.Processes;

public sealed record ProcessSample(double Seconds, int Threads, int OpenFiles, double RssMb, double CpuPercent);

/// <summary>Samples threads, open file descriptors, RSS and CPU of a fixed set of processes at a fixed interval.</summary>
public sealed class ProcessWatch : IAsyncDisposable
{
    private readonly IReadOnlyList<SystemProcess> _processes;
    private readonly TimeSpan _interval;
    private readonly Dictionary<int, List<ProcessSample>> _samples;
    private readonly Dictionary<int, double> _lastCpu;
    private readonly DateTime _started = DateTime.UtcNow;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private DateTime _last;

    public ProcessWatch(IReadOnlyList<SystemProcess> processes, TimeSpan interval)
    {
        _processes = processes;
        _interval = interval;
        _samples = processes.ToDictionary(process => process.Pid, _ => new List<ProcessSample>());
        _lastCpu = processes.ToDictionary(process => process.Pid, process => SystemProcesses.CpuSeconds(process.Pid));
        _last = _started;
        Sample();
        _sampling = SampleAsync();
    }

    public async Task<IReadOnlyDictionary<SystemProcess, IReadOnlyList<ProcessSample>>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        return _processes.ToDictionary(process => process, process => (IReadOnlyList<ProcessSample>)_samples[process.Pid]);
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        var now = DateTime.UtcNow;
        var elapsed = (now - _last).TotalSeconds;
        _last = now;
        foreach (var process in _processes)
        {
            if (SystemProcesses.Read(process.Pid) is not { } reading)
            {
                continue; // ended: its timeline stops here
            }

            var cpuPercent = elapsed > 0 ? 100 * (reading.CpuSeconds - _lastCpu[process.Pid]) / elapsed : 0;
            _lastCpu[process.Pid] = reading.CpuSeconds;
            _samples[process.Pid].Add(new ProcessSample((now - _started).TotalSeconds, reading.Threads, reading.OpenFiles, reading.RssMb, cpuPercent));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
