using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using ReportPoc.AppHost.Dashboard;

namespace ReportPoc.AppHost.Chaos;

public sealed record ChaosResult(
    int Accepted, int Completed, int Failed, int Lost, int Rejected, long DuplicateLpRuns, int DeadLettered, bool DeadLettersMatchFailures,
    int ProcessorKills, int BrokerBlips, TimeSpan LongestWait, TimeSpan Duration)
{
    /// <summary>Nothing accepted vanished, LP never ran a report twice, and the dead-letter topic holds exactly the failed reports.</summary>
    public bool Passed => Lost == 0 && DuplicateLpRuns == 0 && DeadLettersMatchFailures;

    public string SummaryLine =>
        $"chaos: accepted={Accepted} completed={Completed} failed={Failed} lost={Lost} duplicateLpRun={DuplicateLpRuns} " +
        $"deadLettered={DeadLettered}{(DeadLettersMatchFailures ? "" : " (not the failed set)")} rejected503={Rejected} processorKills={ProcessorKills} brokerBlips={BrokerBlips} " +
        $"longestWait={LongestWait.TotalSeconds:F1}s duration={Duration.TotalSeconds:F0}s => {(Passed ? "PASS" : "FAIL")}";
}

/// <summary>One chaos drill against the running system, through the same doors a person uses: the Api, the dashboard commands, kill -9.</summary>
internal sealed class ChaosRun(
    ChaosSettings settings,
    ChaosResource chaos,
    ProjectResource api,
    ProjectResource processor,
    ProjectResource lp,
    IResourceWithConnectionString kafka,
    IServiceProvider services)
{
    private static readonly TimeSpan FaultPause = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BrokerOutage = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = services.GetRequiredService<ResourceLoggerService>().GetLogger(chaos);
    private readonly ResourceNotificationService _notifications = services.GetRequiredService<ResourceNotificationService>();
    private readonly ResourceCommandService _commands = services.GetRequiredService<ResourceCommandService>();
    private readonly ConcurrentDictionary<Guid, string> _statusUrls = new();
    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _processorInstances = new();
    private readonly ConcurrentBag<string> _killed = [];
    private int _rejected;
    private int _kills;
    private int _blips;

    public async Task<ChaosResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        using var stopTracking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tracking = TrackProcessorInstancesAsync(stopTracking.Token);
        try
        {
            return await DrillAsync(cancellationToken);
        }
        finally
        {
            await stopTracking.CancelAsync();
            await tracking;
        }
    }

    private async Task<ChaosResult> DrillAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = new Uri(api.GetEndpoint("http").Url), Timeout = TimeSpan.FromSeconds(30) };
        using var lpHttp = new HttpClient { BaseAddress = new Uri(lp.GetEndpoint("http").Url) };

        var duplicatesBefore = await DuplicateLpRunsAsync(lpHttp, cancellationToken);
        (await lpHttp.PutAsJsonAsync("/lp/admin/faults", new { errorRate = settings.LpErrorRate, slowdownFactor = 1, outage = false }, cancellationToken)).EnsureSuccessStatusCode();
        _log.LogInformation("Chaos: {Reports} reports at {Rate}/s; LP fails {ErrorRate:P0} of calls.", settings.Reports, settings.SubmitPerSecond, settings.LpErrorRate);

        var submissions = SubmitAllAsync(http, cancellationToken);
        try
        {
            await Task.WhenAll(submissions, InjectFaultsUntilAsync(submissions, cancellationToken));
        }
        finally
        {
            (await lpHttp.PostAsync("/lp/admin/heal", null, CancellationToken.None)).EnsureSuccessStatusCode();
        }

        await StartStoppedProcessorsAsync(cancellationToken);
        _log.LogInformation("Submitted; faults healed. Waiting for {Count} accepted reports to finish.", _statusUrls.Count);

        var outcomes = await SettleAsync(http, cancellationToken);
        var failed = outcomes.Where(outcome => outcome.Value.Status == "Failed").Select(outcome => outcome.Key).ToHashSet();
        var deadLettered = await DeadLetteredAsync(outcomes.Keys.ToHashSet(), cancellationToken);
        var result = new ChaosResult(
            Accepted: _statusUrls.Count,
            Completed: outcomes.Count(outcome => outcome.Value.Status == "Completed"),
            Failed: failed.Count,
            Lost: outcomes.Count(outcome => outcome.Value.Status is not ("Completed" or "Failed")),
            Rejected: _rejected,
            DuplicateLpRuns: await DuplicateLpRunsAsync(lpHttp, cancellationToken) - duplicatesBefore,
            DeadLettered: deadLettered.Count,
            DeadLettersMatchFailures: deadLettered.SetEquals(failed),
            ProcessorKills: _kills,
            BrokerBlips: _blips,
            LongestWait: outcomes.Values.Select(outcome => outcome.Waited).DefaultIfEmpty().Max(),
            Duration: clock.Elapsed);

        _log.LogInformation("{Summary}", result.SummaryLine);
        await PublishAsync(result.SummaryLine, result.Passed ? KnownResourceStateStyles.Success : KnownResourceStateStyles.Error, result);
        return result;
    }

    /// <summary>A well-behaved client: paced submissions, each with its own Idempotency-Key, retried on 503 after Retry-After.</summary>
    private async Task SubmitAllAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / settings.SubmitPerSecond));
        var inFlight = new List<Task>();
        for (var index = 0; index < settings.Reports; index++)
        {
            await pace.WaitForNextTickAsync(cancellationToken);
            inFlight.Add(SubmitOneAsync(http, index, cancellationToken));
            if (index % 50 == 49)
            {
                await PublishAsync($"Submitting {index + 1}/{settings.Reports}", KnownResourceStateStyles.Info);
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SubmitOneAsync(HttpClient http, int index, CancellationToken cancellationToken)
    {
        var key = $"chaos-{Guid.NewGuid():N}";
        var body = new { reporterId = "chaos", reportType = "drill", period = "2026-11", title = $"Chaos report {index + 1}", content = "Submitted during the chaos drill." };
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                // No answer means nothing was promised; the same key makes the retry safe.
                _log.LogWarning("Submission {Key} got no answer ({Reason}); retrying.", key, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            using var _ = response;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                _statusUrls[accepted.GetProperty("id").GetGuid()] = response.Headers.Location!.ToString();
                return;
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                throw new InvalidOperationException($"Submission answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            Interlocked.Increment(ref _rejected);
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
        }

        _log.LogWarning("Gave up on {Key} after 10 tries without 202: the client was told, nothing was accepted.", key);
    }

    /// <summary>Cycles through the faults until the submissions are done, and at least once.</summary>
    private async Task InjectFaultsUntilAsync(Task submissions, CancellationToken cancellationToken)
    {
        var broker = BrokerWithOutageCommands();
        do
        {
            await Task.Delay(FaultPause, cancellationToken);
            await KillAndRestartAProcessorAsync(cancellationToken);
            await Task.Delay(FaultPause, cancellationToken);
            if (broker is not null)
            {
                await CommandAsync(broker.Name, "broker-down", cancellationToken);
                _log.LogWarning("Fault: broker down for {Seconds} s.", BrokerOutage.TotalSeconds);
                await Task.Delay(BrokerOutage, cancellationToken);
                await CommandAsync(broker.Name, "broker-up", cancellationToken);
                Interlocked.Increment(ref _blips);
            }
        }
        while (!submissions.IsCompleted);
    }

    /// <summary>kill -9 on one running processor instance mid-work; Aspire does not restart it, so start it as a person would.</summary>
    private async Task KillAndRestartAProcessorAsync(CancellationToken cancellationToken)
    {
        var running = _processorInstances.Where(instance => instance.Value.State?.Text == KnownResourceStates.Running)
            .Select(instance => instance.Key).Order().ToList();
        if (running.Count == 0)
        {
            _log.LogWarning("No processor instance is running; skipping this kill.");
            return;
        }

        var victim = running[_kills % running.Count];
        var killed = await _commands.ExecuteCommandAsync(victim, CrashCommand.Name, cancellationToken);
        if (!killed.Success)
        {
            _log.LogWarning("Could not crash {Instance}: {Error}", victim, killed.Message);
            return;
        }

        Interlocked.Increment(ref _kills);
        _killed.Add(victim);
        _log.LogWarning("Fault: {Result}", killed.Message);
        await WaitUntilAsync(() => KnownResourceStates.TerminalStates.Contains(_processorInstances[victim].State?.Text), TimeSpan.FromMinutes(1), cancellationToken);
        await Task.Delay(FaultPause, cancellationToken);
        await CommandAsync(victim, KnownResourceCommands.StartCommand, cancellationToken);
    }

    private async Task StartStoppedProcessorsAsync(CancellationToken cancellationToken)
    {
        foreach (var (instance, snapshot) in _processorInstances)
        {
            if (_killed.Contains(instance) && KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text))
            {
                await CommandAsync(instance, KnownResourceCommands.StartCommand, cancellationToken);
            }
        }
    }

    /// <summary>Replicas have instance ids of their own (processor-xxxx); the notification stream names them and their pids.</summary>
    private async Task TrackProcessorInstancesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in _notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource == processor)
                {
                    _processorInstances[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>Replica ids are not resource names, which the notification service's waits match on; poll the tracked state instead.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No change within {timeout}.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private ProjectResource? BrokerWithOutageCommands() =>
        services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ProjectResource>()
            .FirstOrDefault(resource => resource.Annotations.OfType<ResourceCommandAnnotation>().Any(command => command.Name == "broker-down"));

    private sealed record Outcome(string Status, TimeSpan Waited);

    /// <summary>Polls every accepted report until all are Completed or Failed, or the settle timeout passes (the rest are lost).</summary>
    private async Task<Dictionary<Guid, Outcome>> SettleAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var outcomes = _statusUrls.Keys.ToDictionary(id => id, _ => new Outcome("Accepted", TimeSpan.Zero));
        var deadline = DateTime.UtcNow + settings.SettleTimeout;
        while (true)
        {
            var pending = outcomes.Where(outcome => outcome.Value.Status is not ("Completed" or "Failed")).Select(outcome => outcome.Key).ToList();
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (id, token) =>
            {
                var outcome = await ReadOutcomeAsync(http, _statusUrls[id], token);
                lock (outcomes)
                {
                    outcomes[id] = outcome;
                }
            });

            var finished = outcomes.Count(outcome => outcome.Value.Status is "Completed" or "Failed");
            await PublishAsync($"Settling {finished}/{outcomes.Count}", KnownResourceStateStyles.Info);
            if (finished == outcomes.Count || DateTime.UtcNow > deadline)
            {
                return outcomes;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task<Outcome> ReadOutcomeAsync(HttpClient http, string statusUrl, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(statusUrl, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new Outcome($"HTTP {(int)response.StatusCode}", TimeSpan.Zero);
        }

        var report = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var timestamps = report.GetProperty("timestamps");
        var finishedAt = timestamps.GetProperty("completedAt").ValueKind == JsonValueKind.String
            ? timestamps.GetProperty("completedAt").GetDateTimeOffset()
            : timestamps.GetProperty("failedAt").ValueKind == JsonValueKind.String ? timestamps.GetProperty("failedAt").GetDateTimeOffset() : (DateTimeOffset?)null;
        var waited = finishedAt - timestamps.GetProperty("acceptedAt").GetDateTimeOffset() ?? TimeSpan.Zero;
        return new Outcome(report.GetProperty("status").GetString()!, waited);
    }

    /// <summary>Which of this run's reports the dead-letter topic holds (read from the beginning, keyed by report id).</summary>
    private async Task<HashSet<Guid>> DeadLetteredAsync(IReadOnlySet<Guid> accepted, CancellationToken cancellationToken)
    {
        var bootstrapServers = await kafka.ConnectionStringExpression.GetValueAsync(cancellationToken);
        return await Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, Ignore>(new ConsumerConfig
            {
                BootstrapServers = bootstrapServers,
                GroupId = $"chaos-audit-{Guid.NewGuid():N}",
                EnableAutoCommit = false,
                EnablePartitionEof = true,
            }).Build();

            using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
            var partitions = admin.GetMetadata(ReportPoc.Contracts.Messaging.KafkaTopics.DeadLetter, TimeSpan.FromSeconds(10)).Topics[0].Partitions
                .Select(partition => new TopicPartitionOffset(ReportPoc.Contracts.Messaging.KafkaTopics.DeadLetter, partition.PartitionId, Offset.Beginning))
                .ToList();
            consumer.Assign(partitions);

            var found = new HashSet<Guid>();
            var atEnd = new HashSet<int>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (atEnd.Count < partitions.Count && DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromSeconds(1));
                if (result is null)
                {
                    continue;
                }

                if (result.IsPartitionEOF)
                {
                    atEnd.Add(result.Partition.Value);
                }
                else if (Guid.TryParse(result.Message.Key, out var id) && accepted.Contains(id))
                {
                    found.Add(id);
                }
            }

            return found;
        }, cancellationToken);
    }

    private static async Task<long> DuplicateLpRunsAsync(HttpClient lp, CancellationToken cancellationToken) =>
        (await lp.GetFromJsonAsync<JsonElement>("/lp/stats", cancellationToken)).GetProperty("duplicateRunExecutions").GetInt64();

    private async Task CommandAsync(string resource, string command, CancellationToken cancellationToken)
    {
        var result = await _commands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            _log.LogWarning("Command {Command} on {Resource} failed: {Error}", command, resource, result.Message);
        }
    }

    private Task PublishAsync(string state, string style, ChaosResult? result = null) =>
        _notifications.PublishUpdateAsync(chaos, snapshot => snapshot with
        {
            State = new ResourceStateSnapshot(state, style),
            Properties = result is null ? snapshot.Properties :
            [
                .. snapshot.Properties.Where(property => !property.Name.StartsWith("chaos.", StringComparison.Ordinal)),
                new("chaos.accepted", result.Accepted),
                new("chaos.completed", result.Completed),
                new("chaos.failed", result.Failed),
                new("chaos.lost", result.Lost),
                new("chaos.duplicateLpRun", result.DuplicateLpRuns),
                new("chaos.deadLettered", result.DeadLettered),
                new("chaos.deadLettersMatchFailures", result.DeadLettersMatchFailures),
                new("chaos.processorKills", result.ProcessorKills),
                new("chaos.brokerBlips", result.BrokerBlips),
                new("chaos.summary", result.SummaryLine),
            ],
        });
}
