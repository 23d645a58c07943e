using ReportPoc.Chaos.Results;

namespace ReportPoc.Chaos.Drill;

/// <summary>
/// What the chaos resource shows while a drill runs: its state is the phase and the counts so far (refreshed every
/// second), its console log tells each phase and fault; at the end the state is the verdict and the properties hold
/// the figures.
/// </summary>
internal sealed class DrillProgress(ChaosDrillResource resource, ResourceNotificationService notifications, ILogger log)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    private volatile string _phase = "Starting";

    public void Enter(string phase)
    {
        _phase = phase;
        log.LogInformation("Phase: {Phase}", phase);
    }

    /// <summary>Shows the phase and <paramref name="counts"/> until cancelled; a previous run's figures are removed first.</summary>
    public async Task ShowAsync(Func<string> counts, CancellationToken cancellationToken)
    {
        await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            Properties = [.. snapshot.Properties.Where(property => !property.Name.StartsWith(ChaosResultProperties.Prefix, StringComparison.Ordinal))],
        });

        try
        {
            while (true)
            {
                await PublishStateAsync($"{_phase} · {counts()}", KnownResourceStateStyles.Info);
                await Task.Delay(Refresh, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The drill has ended; the verdict follows.
        }
    }

    public async Task FinishAsync(ChaosResult result)
    {
        log.LogInformation("{Summary}", result.SummaryLine);
        await notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            State = new ResourceStateSnapshot(result.Passed ? "Passed" : "Failed",
                result.Passed ? KnownResourceStateStyles.Success : KnownResourceStateStyles.Error),
            Properties = [.. snapshot.Properties, .. ChaosResultProperties.From(result)],
        });
    }

    public Task CouldNotFinishAsync(Exception exception)
    {
        log.LogError(exception, "The chaos drill could not finish during phase {Phase}.", _phase);
        return PublishStateAsync($"Could not finish ({_phase})", KnownResourceStateStyles.Error);
    }

    private Task PublishStateAsync(string state, string style) =>
        notifications.PublishUpdateAsync(resource, snapshot => snapshot with { State = new ResourceStateSnapshot(state, style) });
}
