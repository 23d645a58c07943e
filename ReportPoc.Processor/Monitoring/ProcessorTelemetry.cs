using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ReportPoc.Processor.Availability;

namespace ReportPoc.Processor.Monitoring;

/// <summary>
/// The processor's own instruments (meter "ReportPoc.Processor"): what it has in flight, what it waits for, what it owns,
/// what it completes, and work that is stuck or was given up. The report-level counters (completed, failed,
/// dead-lettered …) are in ReportsTelemetry. Work in flight is counted once, by the consumer that decides when the
/// instance is full; the gauges read that count instead of keeping their own.
/// </summary>
public sealed class ProcessorTelemetry
{
    public const string MeterName = "ReportPoc.Processor";

    /// <summary>
    /// What the throughput gauge averages over: long enough to smooth LPRUN's jitter, short enough to follow an
    /// instance joining or leaving within seconds.
    /// </summary>
    private static readonly TimeSpan ThroughputWindow = TimeSpan.FromSeconds(10);

    private readonly Lock _completedGate = new();
    private readonly Queue<long> _completedAt = new();
    private readonly Counter<long> _abandoned;
    private readonly UpDownCounter<long> _waiting;
    private readonly TimeProvider _clock;
    private long _completed;

    /// <param name="ownedPartitions">How many partitions the instance owns now (the consumer's to say).</param>
    /// <param name="inFlight">How many reports dispatched to the instance have not ended (the consumer's to say).</param>
    /// <param name="inFlightLongerThan">How many of them have been in flight for longer than the given time.</param>
    public ProcessorTelemetry(IMeterFactory meterFactory, Dependencies dependencies, Func<int> ownedPartitions, Func<int> inFlight,
        Func<TimeSpan, int> inFlightLongerThan, IOptions<ProcessingOptions> options, TimeProvider clock)
    {
        _clock = clock;
        var stuckAfter = options.Value.StuckAfter;
        var meter = meterFactory.Create(MeterName);
        _abandoned = meter.CreateCounter<long>("reports.processor.abandoned", "{message}",
            "Messages given up after repeated unexpected errors (dead-lettered with reason processing-error).");
        _waiting = meter.CreateUpDownCounter<long>("reports.processor.waiting", "{report}",
            "Reports in flight that wait for an unavailable dependency or a durable dead letter, by what they wait for.");
        meter.CreateObservableGauge("reports.processor.paused", () => dependencies.All.Select(gate =>
                new Measurement<int>(gate.IsOpen ? 0 : 1, new KeyValuePair<string, object?>("dependency", gate.Name))), "{pause}",
            "1 while the instance has paused consumption because the dependency is unavailable.");
        meter.CreateObservableGauge("reports.processor.in_flight", inFlight, "{report}",
            "Reports dispatched to this instance whose work has not ended.");
        meter.CreateObservableGauge("reports.processor.stuck", () => inFlightLongerThan(stuckAfter), "{report}",
            "Reports in flight for longer than Processing:StuckAfter.");
        meter.CreateObservableGauge("reports.processor.partitions", ownedPartitions, "{partition}",
            "Partitions of reports.submitted this instance owns.");
        meter.CreateObservableCounter("reports.processor.completed", () => Interlocked.Read(ref _completed), "{report}",
            "Reports this instance completed.");
        // The dashboard charts a counter's total, not its rate: this is the instance's throughput as a line that moves.
        meter.CreateObservableGauge("reports.processor.throughput", CompletedPerSecond, "{report}/s",
            $"Reports this instance completed per second, averaged over the last {ThroughputWindow.TotalSeconds:F0} s.");
    }

    public long Completed => Interlocked.Read(ref _completed);

    public void ReportCompleted()
    {
        Interlocked.Increment(ref _completed);
        lock (_completedGate)
        {
            _completedAt.Enqueue(_clock.GetTimestamp());
            ForgetOldCompletions();
        }
    }

    public void Abandoned() => _abandoned.Add(1);

    /// <summary>Counts a report as waiting for <paramref name="dependency"/> until the returned handle is disposed.</summary>
    public IDisposable Waiting(string dependency)
    {
        var tag = new KeyValuePair<string, object?>("dependency", dependency);
        _waiting.Add(1, tag);
        return new WaitingHandle(_waiting, tag);
    }

    private double CompletedPerSecond()
    {
        lock (_completedGate)
        {
            ForgetOldCompletions();
            return _completedAt.Count / ThroughputWindow.TotalSeconds;
        }
    }

    private void ForgetOldCompletions()
    {
        while (_completedAt.TryPeek(out var at) && _clock.GetElapsedTime(at) > ThroughputWindow)
        {
            _completedAt.Dequeue();
        }
    }

    private sealed class WaitingHandle(UpDownCounter<long> waiting, KeyValuePair<string, object?> tag) : IDisposable
    {
        public void Dispose() => waiting.Add(-1, tag);
    }
}
