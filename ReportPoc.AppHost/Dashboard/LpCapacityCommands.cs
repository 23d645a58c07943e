using System.Globalization;
using System.Net.Http.Json;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// Dashboard commands that change LP's capacity (concurrent LPRUN executions) while it runs, to move the bottleneck
/// from LP to the processors and back: a number asked for in a dialog, and two one-click presets.
/// </summary>
public static class LpCapacityCommands
{
    public const string SetCapacityCommand = "lp-set-capacity";
    public const string CapacityArgument = "capacity";
    public const string ConfiguredCapacityCommand = "lp-capacity-configured";
    public const string UnboundedCapacityCommand = "lp-capacity-unbounded";

    /// <summary>Far more LPRUN slots than the processors can fill (MaxInFlight × MaxReplicas): LP is out of the way.</summary>
    public const int OutOfTheWay = 1000;

    /// <param name="configuredCapacity">The capacity LP started with (Lp:Capacity), which the first preset restores.</param>
    public static IResourceBuilder<ProjectResource> WithLpCapacityCommands(this IResourceBuilder<ProjectResource> lp, int configuredCapacity) => lp
        .WithHttpCommand("/lp/admin/capacity", "LP: set capacity…", commandName: SetCapacityCommand, commandOptions: new HttpCommandOptions
        {
            HttpClientName = StandInAdminAccess.HttpClientName,
            Method = HttpMethod.Put,
            IconName = "Gauge",
            Description = "How many LPRUN executions LP performs at once from now on; the others wait for a slot.",
            Arguments =
            [
                new InteractionInput
                {
                    Name = CapacityArgument,
                    Label = "Concurrent LPRUN executions",
                    Description = $"1 to {LpCapacity.Max}. LP finishes at most capacity ÷ LPRUN latency reports a second.",
                    InputType = InputType.Number,
                    Required = true,
                    Value = configuredCapacity.ToString(CultureInfo.InvariantCulture),
                },
            ],
            ValidateArguments = context =>
            {
                var input = context.Inputs[CapacityArgument];
                if (!int.TryParse(input.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var capacity) || capacity is < 1 or > LpCapacity.Max)
                {
                    context.AddValidationError(input, $"A whole number from 1 to {LpCapacity.Max}.");
                }

                return Task.CompletedTask;
            },
            PrepareRequest = context => PutCapacity(context, context.Arguments.GetInt32(CapacityArgument)),
            GetCommandResult = ReportCapacityAsync,
        })
        .WithCapacityPreset(ConfiguredCapacityCommand, $"LP: capacity {configuredCapacity} (as configured)", configuredCapacity, "ArrowReset")
        .WithCapacityPreset(UnboundedCapacityCommand, $"LP: capacity out of the way ({OutOfTheWay})", OutOfTheWay, "ArrowMaximize");

    private static IResourceBuilder<ProjectResource> WithCapacityPreset(this IResourceBuilder<ProjectResource> lp, string name, string displayName,
        int capacity, string icon) =>
        lp.WithHttpCommand("/lp/admin/capacity", displayName, commandName: name, commandOptions: new HttpCommandOptions
        {
            HttpClientName = StandInAdminAccess.HttpClientName,
            Method = HttpMethod.Put,
            IconName = icon,
            PrepareRequest = context => PutCapacity(context, capacity),
            GetCommandResult = ReportCapacityAsync,
        });

    private static Task PutCapacity(HttpCommandRequestContext context, int capacity)
    {
        context.Request.Content = JsonContent.Create(new LpCapacity(capacity));
        return Task.CompletedTask;
    }

    /// <summary>The notification says what LP now runs with, as LP itself answered.</summary>
    private static async Task<ExecuteCommandResult> ReportCapacityAsync(HttpCommandResultContext context)
    {
        if (!context.Response.IsSuccessStatusCode)
        {
            return CommandResults.Failure($"LP answered {(int)context.Response.StatusCode}: {await context.Response.Content.ReadAsStringAsync(context.CancellationToken)}");
        }

        var stats = await context.Response.Content.ReadFromJsonAsync<LpStats>(context.CancellationToken);
        return CommandResults.Success($"LP capacity is {stats!.Capacity} ({stats.InFlightRuns} running, {stats.WaitingRuns} waiting).");
    }
}
