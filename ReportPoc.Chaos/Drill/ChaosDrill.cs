using System.Diagnostics;
using ReportPoc.Chaos.Audit;
using ReportPoc.Chaos.Faults;
using ReportPoc.Chaos.Kafka;
using ReportPoc.Chaos.Results;
using ReportPoc.Chaos.Submissions;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Chaos.Drill;

/// <summary>
/// One chaos drill against the running system, through the doors a person uses: the Api over HTTP, LP's admin API,
/// the dashboard's commands and the dead-letter topic. It scales the processors to <see cref="ChaosOptions.Instances"/>,
/// sends a calm wave of reports, then a wave into each fault of the <see cref="FaultSchedule"/>, waits until every
/// accepted report is final, audits them against LP's ledger and the dead-letter topic, and scales back to what it
/// found. The Api's answers in the calm wave and during each fault are the record's <c>apiDuringFaults</c>.
/// </summary>
internal sealed class ChaosDrill : IDisposable
{
    /// <summary>The Api answers a submission within its broker ack timeout (3 s by default); anything slower is no answer.</summary>
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ScaleBackTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Reports of the calm wave sent before its count starts (at most a quarter of the wave).</summary>
    private const int CalmWarmUp = 10;

    private readonly ChaosOptions _options;
    private readonly IResourceWithConnectionString _kafka;
    private readonly IServiceProvider _services;
    private readonly ILogger _log;
    private readonly DrillProgress _progress;
    private readonly HttpClient _api;
    private readonly HttpClient _lp;
    private readonly ApiAnswers _answers = new();
    private readonly ReportSubmitter _submitter;
    private readonly Settlement _settlement;
    private volatile bool _settling;

    public ChaosDrill(ChaosOptions options, ChaosDrillResource resource, IResourceWithEndpoints api, IResourceWithEndpoints lp,
        string standInAdminKey, IResourceWithConnectionString kafka, IServiceProvider services)
    {
        _options = options;
        _kafka = kafka;
        _services = services;
        _log = services.GetRequiredService<ResourceLoggerService>().GetLogger(resource);
        _progress = new DrillProgress(resource, services.GetRequiredService<ResourceNotificationService>(), _log);
        _api = new HttpClient { BaseAddress = new Uri(api.GetEndpoint("http").Url), Timeout = HttpTimeout };
        _lp = new HttpClient { BaseAddress = new Uri(lp.GetEndpoint("http").Url), Timeout = HttpTimeout };
        _lp.DefaultRequestHeaders.Add(StandInAdmin.KeyHeader, standInAdminKey); // LP's faults are the AppHost's to set
        _submitter = new ReportSubmitter(_api, options.SubmitPerSecond, options.SyncRepeatShare, _answers, _log);
        _settlement = new Settlement(_api, _log);
    }

    public async Task<ChaosDrillRecord> RunAsync(CancellationToken cancellationToken)
    {
        using var showing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var shown = _progress.ShowAsync(() => _settling
            ? $"final {_settlement.FinalCount}/{_submitter.AcceptedCount}"
            : $"accepted {_submitter.AcceptedCount}/{_options.Reports}", showing.Token);
        try
        {
            var record = await DrillAsync(cancellationToken);
            await showing.CancelAsync();
            await shown;
            await _progress.FinishAsync(record.Result);
            return record;
        }
        catch (Exception exception)
        {
            await showing.CancelAsync();
            await shown;
            await _progress.CouldNotFinishAsync(exception);
            throw;
        }
    }

    public void Dispose()
    {
        _api.Dispose();
        _lp.Dispose();
    }

    private async Task<ChaosDrillRecord> DrillAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var bootstrapServers = await _kafka.ConnectionStringExpression.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"{_kafka.Name} has no connection string.");
        var partitions = await KafkaAdmin.PartitionsOfAsync(bootstrapServers, KafkaTopics.Submitted, cancellationToken);
        var dashboard = new DashboardCommands(_services, _log);
        var processors = new ProcessorInstances(_api, dashboard, partitions);
        var lpAdmin = new LpAdmin(_lp);
        var schedule = new FaultSchedule(_options, processors, dashboard, lpAdmin, _answers, _log);
        var handovers = new PartitionHandovers(processors);

        _progress.Enter($"Scaling to {_options.Instances} processor instances");
        var found = (await processors.StatusAsync(cancellationToken))?.Instances.Count
            ?? throw new InvalidOperationException("The Api cannot tell which processor instances run.");
        await processors.ScaleToAsync(_options.Instances, cancellationToken);

        var lpBefore = await lpAdmin.StatsAsync(cancellationToken);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watched = handovers.WatchAsync(watching.Token);
        try
        {
            var steps = schedule.Steps;
            var waves = steps.Count + 1;
            _progress.Enter("Calm: a wave before any fault, the Api's yardstick");
            // Its first reports open the client's connections and warm the Api's paths: counted nowhere, or the yardstick
            // would carry start-up costs no fault has.
            var calm = WaveSize(0, waves);
            var warming = Math.Min(CalmWarmUp, calm / 4);
            await _submitter.SubmitWaveAsync(warming, cancellationToken);
            using (_answers.During(DrillPhases.Calm))
            {
                await _submitter.SubmitWaveAsync(calm - warming, cancellationToken);
            }

            _log.LogInformation("LP fails {ErrorRate:P0} of calls, its gateway answers {GatewayRate:P0} of LPRUN calls with 502/504, and LP refuses {RejectRate:P0} of reports for good.",
                _options.LpErrorRate, _options.LpGatewayErrorRate, _options.LpRejectRate);
            await lpAdmin.SetFaultsAsync(schedule.DuringFaults, cancellationToken);
            for (var step = 0; step < steps.Count; step++)
            {
                _progress.Enter($"Fault {step + 1}/{steps.Count}: {steps[step].Name}");
                await SendWaveIntoAsync(steps[step], WaveSize(step + 1, waves), cancellationToken);
            }

            await lpAdmin.SetFaultsAsync(schedule.AfterFaults, cancellationToken);
            var lastFaultEnded = DateTimeOffset.UtcNow;

            _progress.Enter($"Settling: every accepted report final within {_options.SettleBound.TotalSeconds:F0} s");
            _settling = true;
            var accepted = _submitter.Accepted;
            await _settlement.WaitUntilFinalAsync(accepted, lastFaultEnded + _options.SettleBound, cancellationToken);
            var settledAt = DateTimeOffset.UtcNow;
            await watching.CancelAsync();
            await watched;

            _progress.Enter("Auditing: LP's ledger and the dead-letter topic");
            var ids = accepted.Select(report => report.Id).ToHashSet();
            var final = _settlement.LastSeen.Values.Where(report => report.IsFinal && ids.Contains(report.Id)).ToList();
            var failed = final.Where(report => report.Status == ReportStatus.Failed).Select(report => report.Id).ToHashSet();
            var ledger = await LedgerAudit.ReadAsync(lpAdmin, ids, cancellationToken);
            if (ledger.RunMoreThanOnce.Count > 0)
            {
                _log.LogError("LP ran {Count} report(s) more than once: {Reports}", ledger.RunMoreThanOnce.Count, string.Join(", ", ledger.RunMoreThanOnce));
            }

            var deadLettered = await DeadLetterTopic.FindAsync(bootstrapServers, ids, failed, cancellationToken);
            var lpAfter = await lpAdmin.StatsAsync(cancellationToken);
            var lost = ids.Count - final.Count;
            var apiDuringFaults = _answers.Figures();
            foreach (var phase in apiDuringFaults)
            {
                _log.LogInformation("The Api during {Phase}: {Requests} requests, {Errors} not answered as designed, {Refused} refused with Retry-After; p50 {P50} ms, p99 {P99} ms.",
                    phase.Phase, phase.Requests, phase.Errors, phase.Refused, phase.P50Ms, phase.P99Ms);
            }

            return new ChaosDrillRecord(DateTimeOffset.UtcNow, _options, lpBefore.Profile, lpBefore.Capacity, new ChaosResult
            {
                Reports = _options.Reports,
                Accepted = ids.Count,
                Completed = final.Count(report => report.Status == ReportStatus.Completed),
                Failed = failed.Count,
                Lost = lost,
                DuplicateLpRuns = lpAfter.DuplicateRunExecutions - lpBefore.DuplicateRunExecutions,
                RejectedByLp = ledger.Rejected.Count,
                FailedAreRejected = failed.SetEquals(ledger.Rejected),
                DeadLettered = deadLettered.Count,
                DeadLettersAreFailed = deadLettered.SetEquals(failed),
                // Not settled when the drill stopped waiting: the time it waited says so.
                SettledAfterLastFault = Seconds(lost > 0 ? settledAt - lastFaultEnded : LastFinalAt(final) - lastFaultEnded),
                SettleBound = _options.SettleBound,
                ProcessorKills = schedule.Tally.ProcessorKills,
                InFlightAtKills = schedule.Tally.InFlightAtKills,
                InstancesRemoved = schedule.Tally.InstancesRemoved,
                InstancesAdded = schedule.Tally.InstancesAdded,
                ProcessorFreezes = schedule.Tally.ProcessorFreezes,
                FrozenFor = Seconds(schedule.Tally.FrozenFor),
                InFlightAtFreezes = schedule.Tally.InFlightAtFreezes,
                PartitionHandovers = handovers.Count,
                LpOutage = Seconds(schedule.Tally.LpOutage),
                LpFailedCallsInOutage = schedule.Tally.LpFailedCallsInOutage,
                LpFailedCalls = lpAfter.FailedCalls - lpBefore.FailedCalls,
                LpGatewayErrors = lpAfter.GatewayErrors - lpBefore.GatewayErrors,
                PostgresCrashes = schedule.Tally.PostgresCrashes,
                PostgresDown = Seconds(schedule.Tally.PostgresDown),
                BrokerBlips = schedule.Tally.BrokerBlips,
                BrokerRestarts = schedule.Tally.BrokerRestarts,
                Answered503 = _submitter.Answered503,
                SyncRepeats = _submitter.SyncRepeats,
                SyncRepeatsCompleted = _submitter.SyncRepeatsCompleted,
                SyncRepeatsUnexpected = _submitter.SyncRepeatsUnexpected,
                Duration = Seconds(clock.Elapsed),
            }, apiDuringFaults);
        }
        finally
        {
            await watching.CancelAsync();
            await watched;
            await lpAdmin.HealAsync();
            await ScaleBackAsync(processors, found);
        }
    }

    /// <summary>
    /// Half of the fault's wave is accepted before it starts, so the fault meets work in flight; the other half arrives
    /// while it is in effect.
    /// </summary>
    private async Task SendWaveIntoAsync(FaultStep fault, int reports, CancellationToken cancellationToken)
    {
        var before = reports / 2;
        await _submitter.SubmitWaveAsync(before, cancellationToken);
        await fault.RunAsync(() => _submitter.SubmitWaveAsync(reports - before, cancellationToken), cancellationToken);
    }

    /// <summary>The reports shared among the waves (the calm one, then one per fault); the first waves take the remainder.</summary>
    private int WaveSize(int wave, int waves) => _options.Reports / waves + (wave < _options.Reports % waves ? 1 : 0);

    private static DateTimeOffset LastFinalAt(IReadOnlyCollection<ReportView> final) =>
        final.Select(report => report.Timestamps.CompletedAt ?? report.Timestamps.FailedAt ?? DateTimeOffset.MinValue)
            .DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    /// <summary>Figures in tenths of a second (zero when negative: everything was final before the last fault ended).</summary>
    private static TimeSpan Seconds(TimeSpan time) => TimeSpan.FromSeconds(Math.Max(0, Math.Round(time.TotalSeconds, 1)));

    /// <summary>Back to the instances the drill found, whatever happened, bounded so a failed drill still ends.</summary>
    private async Task ScaleBackAsync(ProcessorInstances processors, int found)
    {
        _progress.Enter($"Scaling back to {found} processor instance(s)");
        using var timeout = new CancellationTokenSource(ScaleBackTimeout);
        try
        {
            await processors.ScaleToAsync(found, timeout.Token);
        }
        catch (Exception exception) when (exception is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            _log.LogWarning("Could not scale back to {Instances} processor instance(s): {Reason}", found, exception.Message);
        }
    }
}
