using System.Globalization;
using Microsoft.Extensions.Options;
using ReportPoc.Chaos.Drill;
using ReportPoc.Contracts;

namespace ReportPoc.Chaos;

public static class ChaosDrillExtensions
{
    /// <summary>
    /// The chaos drill as a dashboard resource whose "Run chaos drill" command disturbs the running system the way a
    /// person would and audits every report (see <see cref="ChaosDrill"/>). Sized by configuration <c>Chaos</c>.
    /// </summary>
    public static IResourceBuilder<ChaosDrillResource> AddChaosDrill(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<IResourceWithEndpoints> api, IResourceBuilder<IResourceWithEndpoints> lp, IResourceBuilder<IResourceWithConnectionString> kafka,
        IResourceBuilder<ParameterResource> standInAdminKey)
    {
        var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        builder.Services.AddOptions<ChaosOptions>().BindConfiguration(ChaosOptions.Section)
            .PostConfigure(options => options.ResultPath = Path.GetFullPath(options.ResultPath, repository))
            .ValidateDataAnnotations().ValidateOnStart();
        var drill = new ChaosDrillResource(name);
        return builder.AddResource(drill)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Chaos drill",
                State = new ResourceStateSnapshot("Ready", KnownResourceStateStyles.Info),
                Properties = [],
            })
            // The size it will run, from the validated options (only known once the app's services exist).
            .OnInitializeResource((resource, @event, _) => @event.Notifications.PublishUpdateAsync(resource, snapshot => snapshot with
            {
                Properties = [.. snapshot.Properties, new(CustomResourceKnownProperties.Source, Describe(Options(@event.Services)))],
            }))
            .WithCommand(ResourceCommandNames.RunChaos, "Run chaos drill", context => RunAsync(drill, api.Resource, lp.Resource, kafka.Resource, standInAdminKey.Resource, context),
                new CommandOptions
                {
                    IconName = "Flash",
                    IsHighlighted = true,
                    Description = "Submit async reports while processor instances are killed, removed and added, LP fails, refuses and goes down, "
                        + "PostgreSQL crashes and the broker blips; then check that every report ended as it must.",
                    ConfirmationMessage = "Run the chaos drill? It disturbs the processors, LP, PostgreSQL and the broker for several minutes.",
                })
            .WithRelationship(api.Resource, "Drives")
            .WithRelationship(lp.Resource, "Drives")
            .ExcludeFromManifest();
    }

    private static async Task<ExecuteCommandResult> RunAsync(ChaosDrillResource drill, IResourceWithEndpoints api, IResourceWithEndpoints lp,
        IResourceWithConnectionString kafka, ParameterResource standInAdminKey, ExecuteCommandContext context)
    {
        if (!drill.TryStartRun())
        {
            return CommandResults.Failure("A chaos drill is already running.");
        }

        var options = Options(context.Services);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        budget.CancelAfter(options.Budget);
        try
        {
            using var run = new ChaosDrill(options, drill, api, lp, await standInAdminKey.GetValueAsync(budget.Token) ?? "", kafka, context.Services);
            var record = await run.RunAsync(budget.Token);
            // A failed drill is written too: the report must show it.
            await record.WriteAsync(options.ResultPath, context.CancellationToken);
            var result = record.Result;
            return result.Passed ? CommandResults.Success(result.SummaryLine) : CommandResults.Failure(result.SummaryLine);
        }
        catch (Exception exception) when (!context.CancellationToken.IsCancellationRequested)
        {
            // The drill has logged it and shows it in its state.
            return CommandResults.Failure(budget.IsCancellationRequested
                ? $"The chaos drill did not finish within its budget of {options.Budget}."
                : exception.Message);
        }
        finally
        {
            drill.EndRun();
        }
    }

    private static ChaosOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<ChaosOptions>>().Value;

    private static string Describe(ChaosOptions options) => string.Create(CultureInfo.InvariantCulture,
        $"{options.Reports:N0} reports at {options.SubmitPerSecond}/s, {options.Instances} processor instances, LP errors {options.LpErrorRate:P0}, "
        + $"rejections {options.LpRejectRate:P0}, LP outage {options.LpOutage.TotalSeconds:F0} s, PostgreSQL down {options.PostgresDown.TotalSeconds:F0} s, "
        + $"all final within {options.SettleBound.TotalSeconds:F0} s after the last fault");
}
