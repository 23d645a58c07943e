using System.Diagnostics;
using System.Net;
using ReportPoc.Benchmark.Collateral;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Outcomes;

/// <param name="Answers">Answers by HTTP status code.</param>
/// <param name="AnsweredWithinLimit">200 answers that came within the bridge's wait limit: the sync contract kept.</param>
/// <param name="Unfinished">Accepted reports (202) not final when following them gave up: lost, as far as the client can tell.</param>
/// <param name="DrainSeconds">From the load's end until every accepted report was final.</param>
public sealed record CompatCondition(string Path, double LoadFraction, double OfferedPerSecond, double Seconds, int Requests,
    IReadOnlyDictionary<int, int> Answers, int AnsweredWithinLimit, LatencySummary AnswerTime, ApiUsage Api, ProbeResult? StatusRead,
    int Unfinished, double DrainSeconds)
{
    public double ShareWithinLimit => Requests == 0 ? double.NaN : (double)AnsweredWithinLimit / Requests;
}

/// <summary>
/// Today's clients on the as-is path against the bridge, at the same offered load (open loop, below and above LP's
/// limit): each condition's client is set to its path the way an operator does it, sends POST /api/reports/compat at
/// the rate for a fixed time while a status read is probed beside it, and every report the bridge answered 202 for is
/// followed to its outcome (the drain).
/// </summary>
public static class BridgeComparison
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<CompatCondition> RunAsync(SystemUnderTest system, ReportPocClient client, ReportPocClient probeClient, ClientPath path,
        double loadFraction, double limitPerSecond, TimeSpan duration, TimeSpan bridgeWait, double probeRate, Action<double> onProgress,
        CancellationToken cancellationToken)
    {
        var reporter = $"compat-{path.ToString().ToLowerInvariant()}-{loadFraction * 100:F0}";
        await system.SetClientPathAsync(reporter, path, cancellationToken);
        var statusUrl = await client.SubmitForStatusAsync(cancellationToken)
            ?? throw new InvalidOperationException("The Api did not accept the report whose status the probe reads.");

        var rate = loadFraction * limitPerSecond;
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probe = CheapRequestProbe.RunAsync(probeClient, [new CheapRequest(CollateralRun.StatusRead, statusUrl.OriginalString)], probeRate, stopProbe.Token);
        var api = ApiProcess.Watch(system);
        var started = Stopwatch.GetTimestamp();
        var answers = await OpenLoop.RunAsync(rate, duration, async i =>
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SubmitCompatibleAsync(reporter, $"{reporter}-{i}", cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(sent);
                var location = response.StatusCode == HttpStatusCode.Accepted ? response.Headers.Location : null;
                return (Status: (int)response.StatusCode, Elapsed: elapsed, Location: location);
            }
            catch (HttpRequestException)
            {
                return (Status: 0, Elapsed: Stopwatch.GetElapsedTime(sent), Location: (Uri?)null);
            }
        }, onProgress, cancellationToken);
        var usage = ApiUsage.Of(await api.StopAsync());
        await api.DisposeAsync();
        await stopProbe.CancelAsync();
        var statusRead = (await probe).SingleOrDefault();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The drain: every report still open when its request was answered is followed to its outcome.
        var loadEnded = Stopwatch.GetTimestamp();
        var followed = await Task.WhenAll(answers.Where(answer => answer.Location is not null)
            .Select(answer => ReportFollowers.ByPollingAsync(client, answer.Location!, FollowInterval, GiveUpAfter, cancellationToken)));
        var drain = Stopwatch.GetElapsedTime(loadEnded).TotalSeconds;

        var times = LatencySummary.NewHistogram();
        foreach (var answer in answers.Where(answer => answer.Status != 0))
        {
            times.RecordValue(answer.Elapsed.Ticks / 10);
        }

        return new CompatCondition(path.ToString().ToLowerInvariant(), loadFraction, rate, seconds, answers.Count,
            answers.GroupBy(answer => answer.Status).OrderBy(group => group.Key).ToDictionary(group => group.Key, group => group.Count()),
            answers.Count(answer => answer.Status == (int)HttpStatusCode.OK && answer.Elapsed <= bridgeWait),
            LatencySummary.From(times), usage, statusRead,
            followed.Count(follow => follow.Final is null), followed.Length == 0 ? 0 : drain);
    }
}
