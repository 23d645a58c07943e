using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ReportPoc.Benchmark.Hosting;
using ReportPoc.Benchmark.Load;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Benchmark.Outcomes;

/// <param name="AtSeconds">When the operator's command had taken effect in the database, from the rehearsal's start.</param>
public sealed record PathSwitch(string Client, ClientPath From, ClientPath To, double AtSeconds);

public sealed record RehearsalAnswer(string Client, double SentSeconds, double AnsweredSeconds, int Status, string? ServedBy);

/// <param name="OffSetting">Requests served on a path that was not the client's setting at any moment within the grace of their sending.</param>
/// <param name="MaxSwitchLagSeconds">Per switch, the last request served on the old path after it, sent how long after the switch (the largest).</param>
/// <param name="Lost">Reports answered 200/202 that never reached a final state.</param>
/// <param name="DuplicateRunExecutions">LPRUN executions of a report that had run already, during the rehearsal (LP's own count).</param>
public sealed record MigrationRehearsalResult(int Clients, double PerClientPerSecond, double Seconds, double GraceSeconds, IReadOnlyList<PathSwitch> Switches,
    int Requests, int Accepted, int Errors, int OffSetting, double MaxSwitchLagSeconds, int Lost, int Completed, int Failed,
    long LpRunExecutions, long DuplicateRunExecutions, IReadOnlyList<RehearsalAnswer> Answers);

/// <summary>
/// The migration a team would run: today's clients each sending at a steady rate on the compatibility endpoint, moved
/// one by one from the as-is path to the bridge and on to plain async, and one moved back, while the load runs. It
/// checks what the issue asks: every client's answers follow its setting within the grace, every accepted report ends
/// final, and LP ran none twice.
/// </summary>
public static class MigrationRehearsal
{
    public const double GraceSeconds = 1;

    private static readonly string[] Clients = ["client-a", "client-b", "client-c", "client-d"];

    /// <summary>Who moves when: a and b go to the bridge and on to async, c to the bridge, a comes back to the as-is path; d stays (the control).</summary>
    private static readonly (double At, string Client, ClientPath To)[] Plan =
    [
        (8, "client-a", ClientPath.Bridge),
        (14, "client-b", ClientPath.Bridge),
        (20, "client-a", ClientPath.Async),
        (26, "client-c", ClientPath.Bridge),
        (32, "client-b", ClientPath.Async),
        (38, "client-a", ClientPath.Sync),
    ];

    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(46);
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    public static async Task<MigrationRehearsalResult> RunAsync(SystemUnderTest system, ReportPocClient client, double perClientPerSecond,
        Action<double> onProgress, CancellationToken cancellationToken)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        foreach (var name in Clients)
        {
            await system.SetClientPathAsync(name, ClientPath.Sync, cancellationToken);
        }

        var lpBefore = (await client.GetSystemAsync(cancellationToken)).Lp;
        var started = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(started).TotalSeconds;

        var switches = new List<PathSwitch>();
        var switching = Task.Run(async () =>
        {
            foreach (var (at, name, to) in Plan)
            {
                var due = TimeSpan.FromSeconds(at) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }

                await system.SetClientPathAsync(name, to, cancellationToken);
                switches.Add(new PathSwitch(name, SettingAt(switches, name, double.PositiveInfinity), to, Now()));
            }
        }, cancellationToken);

        var loads = Clients.Select((name, c) => OpenLoop.RunAsync(perClientPerSecond, Duration, async i =>
        {
            var sent = Now();
            try
            {
                using var response = await client.SubmitCompatibleAsync(name, $"{run}-{name}-{i}", cancellationToken);
                var servedBy = response.Headers.TryGetValues(CompatibilityHeaders.ServedBy, out var values) ? values.Single() : null;
                var final = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<ReportView>(cancellationToken) : null;
                var statusUrl = response.StatusCode == HttpStatusCode.Accepted ? response.Headers.Location : null;
                return (Answer: new RehearsalAnswer(name, sent, Now(), (int)response.StatusCode, servedBy), Final: final, StatusUrl: statusUrl);
            }
            catch (HttpRequestException)
            {
                return (Answer: new RehearsalAnswer(name, sent, Now(), 0, null), Final: (ReportView?)null, StatusUrl: (Uri?)null);
            }
        }, done => { if (c == 0) onProgress(done); }, cancellationToken)).ToList();

        var answered = (await Task.WhenAll(loads)).SelectMany(answers => answers).ToList();
        await switching;
        var seconds = Now();

        var followed = await Task.WhenAll(answered.Where(a => a.StatusUrl is not null)
            .Select(a => ReportFollowers.ByPollingAsync(client, a.StatusUrl!, FollowInterval, GiveUpAfter, cancellationToken)));
        var finals = answered.Where(a => a.Final is not null).Select(a => a.Final).Concat(followed.Select(f => f.Final)).ToList();
        var lpAfter = (await client.GetSystemAsync(cancellationToken)).Lp;

        var answers = answered.Select(a => a.Answer).OrderBy(a => a.SentSeconds).ToList();
        return new MigrationRehearsalResult(Clients.Length, perClientPerSecond, seconds, GraceSeconds, switches,
            answers.Count, finals.Count, answers.Count(a => a.Status is not (200 or 202)),
            OffSetting(answers, switches), MaxSwitchLag(answers, switches),
            finals.Count(final => final is null), finals.Count(final => final?.Status == ReportStatus.Completed), finals.Count(final => final?.Status == ReportStatus.Failed),
            (lpAfter?.RunExecutions ?? 0) - (lpBefore?.RunExecutions ?? 0), (lpAfter?.DuplicateRunExecutions ?? 0) - (lpBefore?.DuplicateRunExecutions ?? 0),
            answers);
    }

    /// <summary>
    /// Answers on a path that was not the client's setting at the request's sending, nor at any switch within the grace
    /// before or after it (a request sent while the operator's command ran may meet either path).
    /// </summary>
    public static int OffSetting(IReadOnlyList<RehearsalAnswer> answers, IReadOnlyList<PathSwitch> switches) =>
        answers.Count(answer => answer.ServedBy is not null && !AcceptablePaths(switches, answer).Contains(answer.ServedBy));

    /// <summary>The client's path at a moment: the last switch at or before it, else the starting path (sync).</summary>
    public static ClientPath SettingAt(IReadOnlyList<PathSwitch> switches, string client, double seconds) =>
        switches.LastOrDefault(change => change.Client == client && change.AtSeconds <= seconds)?.To ?? ClientPath.Sync;

    private static HashSet<string> AcceptablePaths(IReadOnlyList<PathSwitch> switches, RehearsalAnswer answer) =>
        [.. switches.Where(change => change.Client == answer.Client && Math.Abs(change.AtSeconds - answer.SentSeconds) <= GraceSeconds)
            .SelectMany(change => new[] { change.From, change.To })
            .Append(SettingAt(switches, answer.Client, answer.SentSeconds))
            .Select(Name)];

    /// <summary>
    /// Per switch, how long after it the last request its old path served was sent, up to the client's next switch (after
    /// which the old path may be the setting again); the largest over all switches (0 if none).
    /// </summary>
    public static double MaxSwitchLag(IReadOnlyList<RehearsalAnswer> answers, IReadOnlyList<PathSwitch> switches) =>
        switches.Select(change =>
            {
                var next = switches.Where(later => later.Client == change.Client && later.AtSeconds > change.AtSeconds)
                    .Select(later => later.AtSeconds).DefaultIfEmpty(double.PositiveInfinity).Min();
                return answers
                    .Where(answer => answer.Client == change.Client && answer.SentSeconds >= change.AtSeconds && answer.SentSeconds < next
                        && answer.ServedBy == Name(change.From))
                    .Select(answer => answer.SentSeconds - change.AtSeconds)
                    .DefaultIfEmpty(0).Max();
            })
            .DefaultIfEmpty(0).Max();

    private static string Name(ClientPath path) => path.ToString().ToLowerInvariant();
}
