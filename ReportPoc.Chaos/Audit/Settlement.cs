using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Chaos.Audit;

/// <summary>
/// Reads every accepted report through the status URL of its 202, as its client would, until all are Completed or
/// Failed or the deadline passes. A 503 (the database is down) is asked again later.
/// </summary>
internal sealed class Settlement(HttpClient api, ILogger log)
{
    private const int ReadsAtOnce = 8;
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<Guid, ReportView> _lastSeen = new();

    public int FinalCount => _lastSeen.Values.Count(report => report.IsFinal);

    /// <summary>The last view read of each report; reports never read are missing.</summary>
    public IReadOnlyDictionary<Guid, ReportView> LastSeen => _lastSeen;

    public async Task WaitUntilFinalAsync(IReadOnlyCollection<AcceptedReport> reports, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var pending = reports.Where(report => !(_lastSeen.TryGetValue(report.Id, out var seen) && seen.IsFinal)).ToList();
            if (pending.Count == 0 || DateTimeOffset.UtcNow > deadline)
            {
                return;
            }

            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
                async (report, token) =>
                {
                    if (await ReadAsync(report.StatusUrl, token) is { } view)
                    {
                        _lastSeen[report.Id] = view;
                    }
                });

            await Task.Delay(Round, cancellationToken);
        }
    }

    private async Task<ReportView?> ReadAsync(string statusUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await api.GetAsync(statusUrl, cancellationToken);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                log.LogWarning("Reading {StatusUrl} answered {Status}.", statusUrl, (int)response.StatusCode);
                return null;
            }

            return await response.Content.ReadFromJsonAsync<ReportView>(cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null; // no answer this round: asked again in the next
        }
    }
}
