using Microsoft.Extensions.Logging;

namespace ReportPoc.AppHost.Chaos;

/// <summary>
/// The chaos drill as a dashboard resource: its "Run" command submits <c>Chaos:Reports</c> async reports while
/// processors are killed and restarted, LP fails a share of calls and the broker blips, then checks every report.
/// Its state shows progress; its properties hold the last result (the tests read them).
/// </summary>
public sealed class ChaosResource(string name) : Resource(name)
{
    public const string RunCommand = "run-chaos";
}

public sealed record ChaosSettings(int Reports, int SubmitPerSecond, double LpErrorRate, TimeSpan SettleTimeout)
{
    public static ChaosSettings From(IConfiguration configuration) => new(
        configuration.GetValue("Chaos:Reports", 1000),
        configuration.GetValue("Chaos:SubmitPerSecond", 40),
        configuration.GetValue("Chaos:LpErrorRate", 0.2),
        configuration.GetValue("Chaos:SettleTimeout", TimeSpan.FromMinutes(10)));

    /// <summary>Three times the submission time (outages slow it), the settle timeout, and slack for restarts and the audit.</summary>
    public TimeSpan Budget => TimeSpan.FromSeconds(3.0 * Reports / SubmitPerSecond) + SettleTimeout + TimeSpan.FromMinutes(2);
}

public static class ChaosScenarioExtensions
{
    public static IResourceBuilder<ChaosResource> AddChaosScenario(
        this IDistributedApplicationBuilder builder,
        string name,
        IResourceBuilder<ProjectResource> api,
        IResourceBuilder<ProjectResource> processor,
        IResourceBuilder<ProjectResource> lp,
        IResourceBuilder<IResourceWithConnectionString> kafka)
    {
        var settings = ChaosSettings.From(builder.Configuration);
        var chaos = new ChaosResource(name);
        var running = 0;

        return builder.AddResource(chaos)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Scenario",
                State = new ResourceStateSnapshot("Ready", KnownResourceStateStyles.Info),
                Properties = [new(CustomResourceKnownProperties.Source, $"{settings.Reports} reports at {settings.SubmitPerSecond}/s, LP errors {settings.LpErrorRate:P0}")],
            })
            .WithCommand(ChaosResource.RunCommand, $"Run chaos ({settings.Reports:N0} reports)", async context =>
            {
                if (Interlocked.Exchange(ref running, 1) == 1)
                {
                    return CommandResults.Failure("A chaos run is already in progress.");
                }

                // Bounded, so a drill that cannot finish says so instead of hanging the command.
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
                budget.CancelAfter(settings.Budget);
                try
                {
                    var run = new ChaosRun(settings, chaos, api.Resource, processor.Resource, lp.Resource, kafka.Resource, context.Services);
                    var result = await run.ExecuteAsync(budget.Token);
                    return result.Passed
                        ? CommandResults.Success(result.SummaryLine)
                        : CommandResults.Failure(result.SummaryLine);
                }
                catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
                {
                    context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(chaos)
                        .LogError(exception, "The chaos run could not finish.");
                    return CommandResults.Failure(exception.Message);
                }
                finally
                {
                    Volatile.Write(ref running, 0);
                }
            }, new CommandOptions
            {
                IconName = "Flash",
                Description = "Submit async reports while processors are killed and restarted, LP fails transiently and the broker blips; then count lost reports and duplicate LPRUN calls.",
                ConfirmationMessage = $"Run the chaos drill? It submits {settings.Reports:N0} reports and disturbs the processors, LP and the broker for a few minutes.",
                UpdateState = _ => ResourceCommandState.Enabled,
            })
            .WithRelationship(api.Resource, "Drives")
            .ExcludeFromManifest();
    }
}
