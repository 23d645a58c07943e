using System.Diagnostics;
using HdrHistogram;

namespace ReportPoc.Benchmark.Load;

public sealed record LevelResult(string Scenario, int Concurrency, double WarmupSeconds, double Seconds, long Responses, long Errors, double Throughput, LatencySummary Latency)
{
    /// <summary>A test run or another ReportPoc system was seen on this machine while this level ran.</summary>
    public bool Disturbed { get; init; }
}

/// <summary>Live view of a level for the progress display.</summary>
public sealed record LoadTick(bool Measuring, double Fraction, double ResponsesPerSecond);

/// <summary>
/// A closed-loop load: <c>concurrency</c> clients each send a request, wait for the answer and send the next.
/// Warm-up lasts the configured time and at least until every client has had one answer, so a slow path (the sync
/// one queues behind the LP system) is measured in its steady state, not while its queue is still filling. Only
/// answers that arrive inside the measured window count; requests still open at its end are let finish (not counted)
/// so they do not spill into the next level.
/// </summary>
public static class ClosedLoopLoad
{
    private static readonly TimeSpan MaxExtraWarmup = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<LevelResult> RunAsync(string scenario, Func<CancellationToken, Task<HttpResponseMessage>> send,
        int concurrency, TimeSpan warmup, TimeSpan duration, Action<LoadTick> onTick, CancellationToken cancellationToken)
    {
        var window = new MeasuredWindow();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clients = Enumerable.Range(0, concurrency)
            .Select(_ => Task.Run(() => ClientAsync(send, window, stop.Token), CancellationToken.None))
            .ToArray();

        var started = Stopwatch.GetTimestamp();
        long lastCount = 0;
        var lastTick = started;
        while (!window.Ended(Stopwatch.GetTimestamp()))
        {
            await Task.Delay(TickInterval, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            var elapsed = Stopwatch.GetElapsedTime(started, now);
            if (!window.HasStarted && elapsed >= warmup && (window.WarmClients >= concurrency || elapsed >= warmup + MaxExtraWarmup))
            {
                window.Start(now, duration);
            }

            var count = window.AllResponses;
            var rate = (count - lastCount) / Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds;
            (lastCount, lastTick) = (count, now);
            onTick(new LoadTick(window.HasStarted, window.HasStarted ? window.Progress(now) : 0, rate));
        }

        var warmupSeconds = Stopwatch.GetElapsedTime(started, window.StartTimestamp).TotalSeconds;
        stop.Cancel();
        var histograms = await Task.WhenAll(clients);

        var merged = LatencySummary.NewHistogram();
        var errors = 0L;
        foreach (var (histogram, clientErrors) in histograms)
        {
            merged.Add(histogram);
            errors += clientErrors;
        }

        return new LevelResult(scenario, concurrency, warmupSeconds, duration.TotalSeconds, merged.TotalCount, errors,
            merged.TotalCount / duration.TotalSeconds, LatencySummary.From(merged));
    }

    private static async Task<(LongHistogram, long)> ClientAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, MeasuredWindow window, CancellationToken stop)
    {
        var histogram = LatencySummary.NewHistogram();
        var errors = 0L;
        var warm = false;
        while (!stop.IsCancellationRequested)
        {
            var start = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                // Not cancelled by stop: a request under way is let finish, so it does not linger into the next level.
                using var response = await send(CancellationToken.None);
                ok = response.IsSuccessStatusCode;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                ok = false;
            }

            var end = Stopwatch.GetTimestamp();
            window.Answered(ref warm);
            if (window.Contains(end))
            {
                if (ok)
                {
                    histogram.RecordValue(Stopwatch.GetElapsedTime(start, end).Ticks / 10);
                }
                else
                {
                    errors++;
                }
            }
        }

        return (histogram, errors);
    }

    /// <summary>The measured interval, shared by the controller (who opens it) and the clients (who read it).</summary>
    private sealed class MeasuredWindow
    {
        private long _start = long.MaxValue;
        private long _end = long.MaxValue;
        private long _responses;
        private int _warmClients;

        public bool HasStarted => Volatile.Read(ref _start) != long.MaxValue;
        public long StartTimestamp => Volatile.Read(ref _start);
        public int WarmClients => Volatile.Read(ref _warmClients);
        public long AllResponses => Interlocked.Read(ref _responses);

        public void Start(long now, TimeSpan duration)
        {
            Volatile.Write(ref _end, now + (long)(duration.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref _start, now);
        }

        public bool Ended(long now) => now >= Volatile.Read(ref _end);

        public bool Contains(long timestamp) => timestamp >= Volatile.Read(ref _start) && timestamp < Volatile.Read(ref _end);

        public double Progress(long now) =>
            Math.Clamp((double)(now - Volatile.Read(ref _start)) / (Volatile.Read(ref _end) - Volatile.Read(ref _start)), 0, 1);

        public void Answered(ref bool warm)
        {
            Interlocked.Increment(ref _responses);
            if (!warm)
            {
                warm = true;
                Interlocked.Increment(ref _warmClients);
            }
        }
    }
}
