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
/// <param name="Refused">Stream requests refused: 429 (the client's bound) or 503 (the instance's).</param>
/// <param name="StillOpenAtEnd">Streams still open when the measurement with streams ended (a stream ends when its report does).</param>
/// <param name="MbPerStream">Api RSS with the streams open minus before, per stream.</param>
/// <param name="ThreadsPerStream">Api threads with the streams open minus before, per stream.</param>
public sealed record OpenStreamsResult(int Streams, int Opened, int Refused, int StillOpenAtEnd, double OpenSeconds, double AcceptPerSecond,
    IReadOnlyList<AcceptUnderStreams> Phases, double MbPerStream, double ThreadsPerStream)
{
    /// <summary>Refusals when the same client opened as many streams again, moments after closing them all: places the Api still held.</summary>
    public int RefusedOnReopen { get; init; }
}

/// <summary>Streams held open by this client, each read (heartbeats and states) until closed or its report ends.</summary>
public sealed class HeldStreams
{
    private const int OpeningAtOnce = 64;

    private readonly CancellationTokenSource _close = new();
    private readonly List<Task> _readers = [];
    private int _open;
    private int _opened;
    private int _refused;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Streams that answered 200 and delivered their first event.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Stream requests refused: 429 (the client's bound) or 503 (the instance's).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Opens one stream per status URL, at most 64 being opened at a time; returns once each has its first event or a refusal.</summary>
    public static async Task<HeldStreams> OpenAsync(ReportPocClient client, IReadOnlyList<Uri> statusUrls, Action<double> onProgress, CancellationToken cancellationToken)
    {
        var held = new HeldStreams();
        var gate = new SemaphoreSlim(OpeningAtOnce);
        var firstEvents = new List<Task>(statusUrls.Count);
        foreach (var statusUrl in statusUrls)
        {
            await gate.WaitAsync(cancellationToken);
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            firstEvents.Add(first.Task);
            _ = first.Task.ContinueWith(_ => gate.Release(), TaskScheduler.Default);
            held._readers.Add(Task.Run(() => held.ReadAsync(client, statusUrl, first), CancellationToken.None));
            onProgress((double)firstEvents.Count / statusUrls.Count);
        }

        await Task.WhenAll(firstEvents);
        return held;
    }

    public async Task CloseAsync()
    {
        await _close.CancelAsync();
        await Task.WhenAll(_readers);
    }

    private async Task ReadAsync(ReportPocClient client, Uri statusUrl, TaskCompletionSource first)
    {
        var counted = false;
        try
        {
            using var response = await client.OpenEventsAsync(statusUrl, null, _close.Token);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                Interlocked.Increment(ref _refused);
                return;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return; // 204: the report ended before its stream opened
            }

            await using var body = await response.Content.ReadAsStreamAsync(_close.Token);
            await foreach (var _ in SseParser.Create(body).EnumerateAsync(_close.Token))
            {
                if (!counted)
                {
                    counted = true;
                    Interlocked.Increment(ref _open);
                    Interlocked.Increment(ref _opened);
                    first.TrySetResult();
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _open);
            }

            first.TrySetResult();
        }
    }
}

/// <summary>
/// Many open streams on one Api instance while reports flow: the accept path's latency (open loop) before the streams,
/// with them all open, and after they closed, and what each stream costs the Api in memory and threads. The streamed
/// reports are submitted behind a backlog (LP finishes 8 a second), so each stream stays open through the measurement,
/// carrying heartbeats and whatever transitions happen.
/// </summary>
public static class OpenStreams
{
    private const int SubmitAtOnce = 64;
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
            var batch = await Task.WhenAll(Enumerable.Range(0, Math.Min(SubmitAtOnce, streams - statusUrls.Count)).Select(_ => client.SubmitForStatusAsync(cancellationToken)));
            statusUrls.AddRange(batch.Where(url => url is not null).Select(url => url!));
            onProgress($"submitting {streams} reports to stream", (double)statusUrls.Count / streams);
        }

        var baseline = ApiSnapshot(system);
        var openStarted = Stopwatch.GetTimestamp();
        var held = await HeldStreams.OpenAsync(client, statusUrls, done => onProgress($"opening {streams} streams", done), cancellationToken);
        var openSeconds = Stopwatch.GetElapsedTime(openStarted).TotalSeconds;
        await Task.Delay(Settle, cancellationToken);
        var withStreams = ApiSnapshot(system);
        phases.Add(await AcceptAsync(system, client, "streams open", held.Open, acceptPerSecond, window, p => onProgress("accept, streams open", p), cancellationToken));
        var stillOpen = held.Open;
        await held.CloseAsync();

        // Whether the Api let go of the closed streams' places: the same client opens as many again. Past the per-client
        // bound (streams + 100) a place still held shows as a refusal.
        await Task.Delay(Settle, cancellationToken);
        var reopened = await HeldStreams.OpenAsync(client, statusUrls, done => onProgress("opening them again after closing", done), cancellationToken);
        var refusedOnReopen = reopened.Refused;
        await reopened.CloseAsync();
        await Task.Delay(Settle, cancellationToken);
        phases.Add(await AcceptAsync(system, client, "no streams (after)", 0, acceptPerSecond, window, p => onProgress("accept, streams closed", p), cancellationToken));

        var opened = held.Opened;
        return new OpenStreamsResult(streams, opened, held.Refused, stillOpen, openSeconds, acceptPerSecond, phases,
            opened == 0 || baseline is null || withStreams is null ? double.NaN : (withStreams.RssMb - baseline.RssMb) / opened,
            opened == 0 || baseline is null || withStreams is null ? double.NaN : (double)(withStreams.Threads - baseline.Threads) / opened)
        {
            RefusedOnReopen = refusedOnReopen,
        };
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
