using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Chaos.Submissions;

/// <summary>
/// The drill's client of the Api's async path, a well-behaved one: paced submissions, each with its own
/// Idempotency-Key, sent again with the same key after a 503's Retry-After or when no answer came (the key makes the
/// retry safe). Keeps the 202 of every accepted report: its status URL is how the report is read afterwards, and how
/// each attempt was answered and how fast (<see cref="ApiAnswers"/>). A share of the reports is sent again to the sync
/// path with the same key right after the 202, as a client moving between the paths would: both paths then work on one
/// report while the faults strike.
/// </summary>
internal sealed class ReportSubmitter(HttpClient api, int perSecond, double syncRepeatShare, ApiAnswers answers, ILogger log)
{
    /// <summary>A client gives up some time; a report it gave up on was never accepted, so it is not lost, only not accepted.</summary>
    private const int MaxTries = 10;

    private static readonly TimeSpan NoAnswerPause = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, AcceptedReport> _accepted = new();
    private readonly int _syncRepeatEvery = syncRepeatShare > 0 ? (int)Math.Round(1 / syncRepeatShare) : 0;
    private int _submitted;
    private int _answered503;
    private int _syncRepeats;
    private int _syncRepeatsCompleted;
    private int _syncRepeatsUnexpected;

    public IReadOnlyCollection<AcceptedReport> Accepted => [.. _accepted.Values];

    public int AcceptedCount => _accepted.Count;

    public int Answered503 => Volatile.Read(ref _answered503);

    public int SyncRepeats => Volatile.Read(ref _syncRepeats);

    public int SyncRepeatsCompleted => Volatile.Read(ref _syncRepeatsCompleted);

    public int SyncRepeatsUnexpected => Volatile.Read(ref _syncRepeatsUnexpected);

    /// <summary>Submits <paramref name="count"/> reports at the configured pace; returns when each was accepted or given up.</summary>
    public async Task SubmitWaveAsync(int count, CancellationToken cancellationToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / perSecond));
        var submissions = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await pace.WaitForNextTickAsync(cancellationToken);
            submissions.Add(SubmitOneAsync(Interlocked.Increment(ref _submitted), cancellationToken));
        }

        await Task.WhenAll(submissions);
    }

    private async Task SubmitOneAsync(int number, CancellationToken cancellationToken)
    {
        var key = $"chaos-{Guid.NewGuid():N}";
        var report = new SubmitReportRequest(
            ReporterId: "chaos-drill",
            ReportType: "drill",
            Period: DateTime.UtcNow.ToString(ReportFieldLimits.PeriodFormat, CultureInfo.InvariantCulture),
            Title: $"Chaos report {number}",
            Content: "Submitted during the chaos drill.");

        for (var attempt = 1; attempt <= MaxTries; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(report) };
            request.Headers.Add(ReportHeaders.IdempotencyKey, key);
            HttpResponseMessage response;
            var phase = answers.Phase;
            var sent = Stopwatch.GetTimestamp();
            try
            {
                response = await api.SendAsync(request, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answers.Record(phase, Stopwatch.GetElapsedTime(sent), AnswerKind.Error);
                log.LogWarning("Submission {Key} got no answer ({Reason}); sending it again.", key, exception.Message);
                await Task.Delay(NoAnswerPause, cancellationToken);
                continue;
            }

            using (response)
            {
                var refused = response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null;
                answers.Record(phase, Stopwatch.GetElapsedTime(sent),
                    response.StatusCode == HttpStatusCode.Accepted ? AnswerKind.Accepted : refused ? AnswerKind.Refused : AnswerKind.Error);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var accepted = await response.Content.ReadFromJsonAsync<AcceptedReport>(cancellationToken)
                        ?? throw new InvalidOperationException("A 202 without its body.");
                    _accepted[accepted.Id] = accepted;
                    if (_syncRepeatEvery > 0 && number % _syncRepeatEvery == 0)
                    {
                        await RepeatOnSyncPathAsync(key, report, cancellationToken);
                    }

                    return;
                }

                if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
                {
                    throw new InvalidOperationException(
                        $"Submission {key} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }

                Interlocked.Increment(ref _answered503);
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? NoAnswerPause, cancellationToken);
            }
        }

        log.LogWarning("Gave up on submission {Key} after {Tries} tries without a 202: it was never accepted.", key, MaxTries);
    }

    /// <summary>
    /// The same submission on the sync path. Its contract: 200 with the final report, or — when it cannot finish (a
    /// dependency down, LPRUN still running elsewhere) or LP refused the report — 502/503/504 with the status URL, and
    /// 429 past the client's budget. A client that gives up waiting has no answer; the report is not its to change.
    /// </summary>
    private async Task RepeatOnSyncPathAsync(string key, SubmitReportRequest report, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _syncRepeats);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/sync") { Content = JsonContent.Create(report) };
        request.Headers.Add(ReportHeaders.IdempotencyKey, key);
        try
        {
            using var response = await api.SendAsync(request, cancellationToken);
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    Interlocked.Increment(ref _syncRepeatsCompleted);
                    break;
                case HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout or HttpStatusCode.TooManyRequests:
                    break;
                default:
                    Interlocked.Increment(ref _syncRepeatsUnexpected);
                    log.LogError("The sync repeat of {Key} answered {Status}: {Body}", key, (int)response.StatusCode,
                        await response.Content.ReadAsStringAsync(cancellationToken));
                    break;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("The sync repeat of {Key} got no answer in time ({Reason}).", key, exception.Message);
        }
    }
}
