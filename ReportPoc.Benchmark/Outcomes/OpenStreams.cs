using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Benchmark.Processes;

namespace ReportPoc.Benchmark.Outcomes;

/// <param name="Phase">Before any stream, with the streams open, after they closed.</param>
public sealed record AcceptUnderStreams(string Phase, int OpenStreams, int Requests, int Errors, LatencySummary Latency, ApiUsage Api);

/// <param name="Opened">Streams that answered 200 and delivered their first event.</param>
/// <param name="Refused">Stream requests answered otherwise (429 per client, 503 per instance, …).</param>
/// <param name="StillOpenAtEnd">Streams still open when the measurement with streams ended (a stream ends when its report does).</param>
/// <param name="MbPerStream">Api RSS with the streams open minus before, per stream.</param>
/// <param name="ThreadsPerStream">Api threads with the streams open minus before, per stream.</param>
public sealed record OpenStreamsResult(int Streams, int Opened, int Refused, int StillOpenAtEnd, double OpenSeconds, double AcceptPerSecond,
    IReadOnlyList<AcceptUnderStreams> Phases, double MbPerStream, double ThreadsPerStream);

/// <summary>
/// Many open streams on one Api instance while reports flow: the accept path's latency (open loop) before the streams,
/// with them all open, and after they closed, and what each stream costs the Api in memory and threads. The streamed
/// reports are submitted behind a backlog (LP finishes 8 a second), so each stream stays open through the measurement,
/// carrying heartbeats and whatever transitions happen.
/// </summary>
public static class OpenStreams
{
    private const int OpenAtOnce = 64;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    public static async Task<OpenStreamsResult> RunAsync(SystemUnderTest system, ReportPocClient client, int streams, double acceptPerSecond, TimeSpan window,
        Action<string, double> onProgress, CancellationToken cancellationToken)
    {
        var phases = new List<AcceptUnderStreams>
        {
            await AcceptAsync(system, client, "no streams (before)", 0, acceptPerSecond, window, p => onProgress("accept, no streams", p), cancellationToken),
        };

        var statusUrls = new List<Uri>(streams);
        while (statusUrls.Count < streams)
        {
            var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(OpenAtOnce, streams - statusUrls.Count)).Select(_ => client.SubmitForStatusAsync(cancellationToken)));
            statusUrls.AddRange(batch.Where(url => url is not null).Select(url => url!));
            onProgress($"submitting {streams} reports to stream", (double)statusUrls.Count / streams);
        }

        var baseline = ApiSnapshot(system);
        using var closeStreams = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var open = 0;
        var opened = 0;
        var refused = 0;
        var openStarted = Stopwatch.GetTimestamp();
        var firstEvents = new List<Task>();
        var holders = new List<Task>();
        var gate = new SemaphoreSlim(OpenAtOnce);
        foreach (var statusUrl in statusUrls)
        {
            await gate.WaitAsync(cancellationToken);
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            firstEvents.Add(first.Task);
            holders.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await client.OpenEventsAsync(statusUrl, null, closeStreams.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref refused);
                        return;
                    }

                    await using var body = await response.Content.ReadAsStreamAsync(closeStreams.Token);
                    var counted = false;
                    try
                    {
                        await foreach (var _ in SseParser.Create(body).EnumerateAsync(closeStreams.Token))
                        {
                            if (!counted)
                            {
                                counted = true;
                                Interlocked.Increment(ref open);
                                Interlocked.Increment(ref opened);
                                first.TrySetResult();
                            }
                        }
                    }
                    finally
                    {
                        if (counted)
                        {
                            Interlocked.Decrement(ref open);
                        }
                    }
                }
                catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
                {
                }
                finally
                {
                    first.TrySetResult();
                }
            }, CancellationToken.None));
            // The gate bounds streams being opened, not streams held: a slot frees as soon as the first event (or a refusal) came.
            _ = first.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default);
            onProgress($"opening {streams} streams", (double)firstEvents.Count / streams);
        }

        await Task.WhenAll(firstEvents);
        var openSeconds = Stopwatch.GetElapsedTime(openStarted).TotalSeconds;
        await Task.Delay(Settle, cancellationToken);
        var withStreams = ApiSnapshot(system);
        phases.Add(await AcceptAsync(system, client, "streams open", Volatile.Read(ref open), acceptPerSecond, window, p => onProgress("accept, streams open", p), cancellationToken));
        var stillOpen = Volatile.Read(ref open);

        await closeStreams.CancelAsync();
        await Task.WhenAll(holders);
        await Task.Delay(Settle, cancellationToken);
        phases.Add(await AcceptAsync(system, client, "no streams (after)", 0, acceptPerSecond, window, p => onProgress("accept, streams closed", p), cancellationToken));

        return new OpenStreamsResult(streams, opened, refused, stillOpen, openSeconds, acceptPerSecond, phases,
            opened == 0 || baseline is null || withStreams is null ? double.NaN : (withStreams.RssMb - baseline.RssMb) / opened,
            opened == 0 || baseline is null || withStreams is null ? double.NaN : (double)(withStreams.Threads - baseline.Threads) / opened);
    }

    private static async Task<AcceptUnderStreams> AcceptAsync(SystemUnderTest system, ReportPocClient client, string phase, int openStreams, double perSecond,
        TimeSpan window, Action<double> onProgress, CancellationToken cancellationToken)
    {
        await using var api = ApiProcess.Watch(system);
        var answers = await OpenLoop.RunAsync(perSecond, window, async _ =>
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SubmitAsync(cancellationToken);
                return (Ok: response.StatusCode == HttpStatusCode.Accepted, Elapsed: Stopwatch.GetElapsedTime(sent));
            }
            catch (HttpRequestException)
            {
                return (Ok: false, Elapsed: Stopwatch.GetElapsedTime(sent));
            }
        }, onProgress, cancellationToken);

        var latency = LatencySummary.NewHistogram();
        foreach (var answer in answers.Where(answer => answer.Ok))
        {
            latency.RecordValue(answer.Elapsed.Ticks / 10);
        }

        return new AcceptUnderStreams(phase, openStreams, answers.Count, answers.Count(answer => !answer.Ok), LatencySummary.From(latency), ApiUsage.Of(await api.StopAsync()));
    }

    private static ProcessReading? ApiSnapshot(SystemUnderTest system) =>
        system.Kafka is { } kafka && SystemProcesses.Find(kafka).FirstOrDefault(process => process.Name == "ReportPoc.Api") is { } api
            ? SystemProcesses.Read(api.Pid)
            : null;
}
