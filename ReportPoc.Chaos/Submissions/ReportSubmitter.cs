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
/// each attempt was answered and how fast (<see cref="ApiAnswers"/>).
/// </summary>
internal sealed class ReportSubmitter(HttpClient api, int perSecond, ApiAnswers answers, ILogger log)
{
    /// <summary>A client gives up some time; a report it gave up on was never accepted, so it is not lost, only not accepted.</summary>
    private const int MaxTries = 10;

    private static readonly TimeSpan NoAnswerPause = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, AcceptedReport> _accepted = new();
    private int _submitted;
    private int _answered503;

    public IReadOnlyCollection<AcceptedReport> Accepted => [.. _accepted.Values];

    public int AcceptedCount => _accepted.Count;

    public int Answered503 => Volatile.Read(ref _answered503);

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
}
