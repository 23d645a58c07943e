using System.Collections.Concurrent;
using System.Diagnostics;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Contracts.Operations;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Scale;

/// <param name="Partitions">Partitions of reports.submitted: at most this many instances share the work.</param>
/// <param name="MeanProcessorInFlight">Reports in flight over all instances, against <paramref name="ProcessorInFlightLimit"/> (their MaxInFlight summed).</param>
/// <param name="MeanCpuBusy">The machine's busy share of all its cores (0..1) over the busy middle of the burst.</param>
/// <param name="Bottleneck">What the Api judged the limit most often during the busy middle (what the page says).</param>
public sealed record ProcessorResult(
    string Configuration,
    bool LpBound,
    int Instances,
    int Partitions,
    int LpCapacity,
    int LpRunLatencyMs,
    double LpLimitPerSecond,
    int Reports,
    int Completed,
    int Failed,
    double SteadyPerSecond,
    double OverallPerSecond,
    double MeanLpInFlight,
    double MeanProcessorInFlight,
    int ProcessorInFlightLimit,
    double MeanCpuBusy,
    Bottleneck? Bottleneck,
    double Seconds)
{
    public double OfLpLimit => SteadyPerSecond / LpLimitPerSecond;

    public double PerInstancePerSecond => SteadyPerSecond / Instances;

    /// <summary>A test run or another ReportPoc system was seen on this machine during the burst.</summary>
    public bool Disturbed { get; init; }
}

/// <summary>
/// Processor throughput: a burst of async reports is accepted at once (far faster than it can be processed), then the
/// processors work through it. Throughput is read from the reports' own completion times over the middle 80% of
/// the burst, which leaves out the ramp-up (the first LP runs take a full LPRUN) and the tail (the last lanes idle).
/// Meanwhile GET /api/system is sampled: LP's runs in flight (with LP as the bottleneck they stay at its capacity), the
/// processors' reports in flight against their limits, and the Api's bottleneck judgement; and so is the machine's CPU
/// (on a machine whose cores everything shares, the ceiling of adding instances).
/// </summary>
public static class ProcessorBurst
{
    private const int Submitters = 32;
    private const double TrimmedFraction = 0.1;
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromMinutes(1);

    public static async Task<ProcessorResult> RunAsync(ReportPocClient client, string configuration, bool lpBound, int instances, int count,
        Action<string, double> onProgress, CancellationToken cancellationToken)
    {
        var lp = await client.GetLpStateAsync(cancellationToken);
        var partitions = (await client.GetSystemAsync(cancellationToken)).Backlog?.Partitions ?? 0;
        var started = Stopwatch.GetTimestamp();

        var statusUrls = new ConcurrentBag<Uri>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Submitters).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                if (await client.SubmitForStatusAsync(cancellationToken) is { } statusUrl)
                {
                    statusUrls.Add(statusUrl);
                }
            }
        }, cancellationToken)));
        onProgress($"{statusUrls.Count} accepted", 0);

        // Done when the LP system has finished a run for every accepted report; the status reads come after.
        var inFlightSamples = new List<int>();
        var processorSamples = new List<int>();
        var verdicts = new List<Bottleneck?>();
        var inFlightLimit = 0;
        var cpuSamples = new List<double>();
        var cpu = new MachineCpu();
        // Given up only when LP finishes nothing for a while: how long a burst takes depends on what limits it.
        var lastDone = 0L;
        var lastProgress = Stopwatch.GetTimestamp();
        while (true)
        {
            await Task.Delay(SampleInterval, cancellationToken);
            var system = await client.GetSystemAsync(cancellationToken);
            var now = system.Lp ?? throw new InvalidOperationException("The Api cannot reach the LP system (GET /api/system has lp = null).");
            var processors = system.Processing?.Instances ?? [];
            var done = now.CompletedRuns - lp.CompletedRuns;
            inFlightSamples.Add(now.InFlightRuns);
            processorSamples.Add(processors.Sum(instance => instance.InFlight));
            inFlightLimit = processors.Sum(instance => instance.MaxInFlight);
            verdicts.Add(system.Processing?.Bottleneck);
            cpuSamples.Add(cpu.BusySinceLast());
            onProgress($"{done}/{statusUrls.Count} finished by LP, {now.InFlightRuns} LP runs and {processorSamples[^1]}/{inFlightLimit} reports in flight, "
                + $"bottleneck: {system.Processing?.Bottleneck}", (double)done / statusUrls.Count);
            if (done > lastDone)
            {
                (lastDone, lastProgress) = (done, Stopwatch.GetTimestamp());
            }

            if (done >= statusUrls.Count || Stopwatch.GetElapsedTime(lastProgress) > StallTimeout)
            {
                break;
            }
        }

        var statuses = await ReadFinalStatusesAsync(client, statusUrls, cancellationToken);
        var completions = statuses.Where(status => status is { Status: ReportStatus.Completed, Timestamps.CompletedAt: not null })
            .Select(status => status!.Timestamps.CompletedAt!.Value).Order().ToList();
        if (completions.Count == 0)
        {
            throw new InvalidOperationException($"{configuration}: none of {count} reports completed; is the processor running?");
        }

        var firstAccepted = statuses.Where(status => status is not null).Min(status => status!.Timestamps.AcceptedAt);

        return new ProcessorResult(configuration, lpBound, instances, partitions, lp.Capacity, lp.LpRunLatencyMs, lp.LimitPerSecond, count,
            completions.Count, statuses.Count(status => status?.Status == ReportStatus.Failed),
            SteadyRate(completions),
            completions.Count / (completions[^1] - firstAccepted).TotalSeconds,
            // The busy middle of the run, like the throughput: ramp-up and tail samples left out.
            Trimmed(inFlightSamples).DefaultIfEmpty().Average(),
            Trimmed(processorSamples).DefaultIfEmpty().Average(),
            inFlightLimit,
            Trimmed(cpuSamples).DefaultIfEmpty(double.NaN).Average(),
            Trimmed(verdicts).GroupBy(verdict => verdict).OrderByDescending(verdict => verdict.Count()).FirstOrDefault()?.Key,
            Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static double SteadyRate(List<DateTimeOffset> completions)
    {
        var first = (int)(completions.Count * TrimmedFraction);
        var last = (int)(completions.Count * (1 - TrimmedFraction)) - 1;
        return last > first ? (last - first) / (completions[last] - completions[first]).TotalSeconds : double.NaN;
    }

    private static IEnumerable<T> Trimmed<T>(List<T> samples)
    {
        var skip = (int)(samples.Count * TrimmedFraction);
        return samples.Skip(skip).Take(samples.Count - 2 * skip);
    }

    private static async Task<ReportView?[]> ReadFinalStatusesAsync(ReportPocClient client, IEnumerable<Uri> statusUrls, CancellationToken cancellationToken)
    {
        // The processor writes Completed just after LP finishes, so a report read too early is read again.
        using var gate = new SemaphoreSlim(16);
        return await Task.WhenAll(statusUrls.Select(async statusUrl =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                ReportView? status = null;
                for (var attempt = 0; attempt < 20 && status is not { IsFinal: true }; attempt++)
                {
                    if (attempt > 0)
                    {
                        await Task.Delay(SampleInterval, cancellationToken);
                    }

                    status = await client.GetStatusAsync(statusUrl, cancellationToken);
                }

                return status;
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
