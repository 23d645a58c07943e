namespace ReportPoc.Processor.Availability;

/// <summary>
/// Whether a dependency (LP, the database) takes work. Open while calls succeed; closed after a run of "unavailable"
/// answers, and then probed with backoff until it answers again, which opens it. While any gate is closed the
/// consumer pauses its partitions, and reports in flight wait here instead of spending their attempts.
/// </summary>
public sealed class DependencyGate
{
    private readonly Lock _gate = new();
    private readonly Func<CancellationToken, Task> _probe;
    private readonly int _failuresToClose;
    private readonly TimeSpan _probeInitialDelay;
    private readonly TimeSpan _probeMaxDelay;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _consecutiveFailures;
    private DependencyOutage? _outage;

    /// <param name="probe">Throws while the dependency is unavailable; returns when it takes work again.</param>
    public DependencyGate(string name, Func<CancellationToken, Task> probe, int failuresToClose, TimeSpan probeInitialDelay, TimeSpan probeMaxDelay,
        TimeProvider clock, ILogger logger, CancellationToken stopping)
    {
        Name = name;
        _probe = probe;
        _failuresToClose = failuresToClose;
        _probeInitialDelay = probeInitialDelay;
        _probeMaxDelay = probeMaxDelay;
        _clock = clock;
        _logger = logger;
        _stopping = stopping;
        _opened.SetResult();
    }

    public string Name { get; }

    /// <summary>Since when and why the dependency is unavailable; null while it takes work.</summary>
    public DependencyOutage? Outage
    {
        get
        {
            lock (_gate)
            {
                return _outage;
            }
        }
    }

    public bool IsOpen => Outage is null;

    /// <summary>Probes made during the current or last outage (shown in logs and tests: the outage was met).</summary>
    public int Probes { get; private set; }

    public Task WaitUntilOpenAsync(CancellationToken cancellationToken)
    {
        Task opened;
        lock (_gate)
        {
            opened = _opened.Task;
        }

        return opened.WaitAsync(cancellationToken);
    }

    /// <summary>A call to the dependency succeeded: it is available, whatever the gate thought.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            if (_outage is not null)
            {
                OpenLocked("a call succeeded");
            }
        }
    }

    /// <summary>A call found the dependency unavailable; enough of them in a row close the gate.</summary>
    public void Failed(string reason)
    {
        lock (_gate)
        {
            if (_outage is not null || ++_consecutiveFailures < _failuresToClose)
            {
                return;
            }

            _outage = new DependencyOutage(Name, _clock.GetUtcNow(), reason);
            _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Probes = 0;
        }

        _logger.LogWarning("{Dependency} unavailable ({Reason}): pausing consumption and probing it", Name, reason);
        _ = ProbeUntilOpenAsync();
    }

    private async Task ProbeUntilOpenAsync()
    {
        var delay = _probeInitialDelay;
        while (!_stopping.IsCancellationRequested && !IsOpen)
        {
            try
            {
                await Task.Delay(delay, _clock, _stopping);
                Probes++;
                await _probe(_stopping);
                lock (_gate)
                {
                    if (_outage is not null)
                    {
                        OpenLocked($"probe {Probes} answered");
                    }
                }

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.LogDebug("{Dependency} probe {Probe} failed: {Reason}", Name, Probes, exception.Message);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _probeMaxDelay.Ticks));
            }
        }
    }

    private void OpenLocked(string why)
    {
        var outage = _outage!;
        _outage = null;
        _consecutiveFailures = 0;
        _opened.TrySetResult();
        _logger.LogInformation("{Dependency} available again after {Duration} ({Why}); resuming", Name, _clock.GetUtcNow() - outage.Since, why);
    }
}

public sealed record DependencyOutage(string Dependency, DateTimeOffset Since, string Reason);
