using System.Diagnostics;
using ReportPoc.Benchmark.Load;

namespace ReportPoc.Benchmark.Collateral;

/// <summary>A cheap request measured while something else loads the system.</summary>
public sealed record CheapRequest(string Name, string PathAndQuery);

public sealed record ProbeResult(string Probe, long Requests, long Errors, LatencySummary Latency);

/// <summary>
/// Sends each cheap request at a fixed rate (open loop: the i-th goes out at i ÷ rate whatever happened to the earlier
/// ones, so a stalled server cannot slow the probe down and hide its own stall) on connections of its own, until
/// stopped; then waits for the answers still outstanding. Latency is send → full answer; non-2xx answers are errors.
/// </summary>
public static class CheapRequestProbe
{
    public static async Task<IReadOnlyList<ProbeResult>> RunAsync(ReportPocClient client, IReadOnlyList<CheapRequest> requests, double perSecond,
        CancellationToken stop)
    {
        var probes = requests.Select(request => ProbeAsync(client, request, perSecond, stop)).ToList();
        return await Task.WhenAll(probes);
    }

    private static async Task<ProbeResult> ProbeAsync(ReportPocClient client, CheapRequest request, double perSecond, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        var sent = new List<Task<(bool Ok, long Microseconds)>>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            sent.Add(SendAsync(client, request.PathAndQuery));
        }

        var answers = await Task.WhenAll(sent);
        var histogram = LatencySummary.NewHistogram();
        foreach (var answer in answers.Where(answer => answer.Ok))
        {
            histogram.RecordValue(answer.Microseconds);
        }

        return new ProbeResult(request.Name, answers.Length, answers.Count(answer => !answer.Ok), LatencySummary.From(histogram));
    }

    private static async Task<(bool, long)> SendAsync(ReportPocClient client, string pathAndQuery)
    {
        await Task.Yield();
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(pathAndQuery, CancellationToken.None);
            return (response.IsSuccessStatusCode, Stopwatch.GetElapsedTime(start).Ticks / 10);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return (false, Stopwatch.GetElapsedTime(start).Ticks / 10);
        }
    }
}
