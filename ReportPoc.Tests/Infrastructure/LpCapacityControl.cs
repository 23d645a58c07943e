using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>LP's capacity changed the way a person does it: the dashboard commands on the lpmock resource.</summary>
public static class LpCapacityControl
{
    /// <summary>"LP: set capacity…" with the number typed into its dialog.</summary>
    public static Task<ExecuteCommandResult> SetLpCapacityAsync(this ReportPocApp system, string capacity) =>
        system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.LpMock, LpCapacityCommands.SetCapacityCommand,
            new InteractionInputCollection([new InteractionInput { Name = LpCapacityCommands.CapacityArgument, InputType = InputType.Number, Value = capacity }]),
            CancellationToken.None);

    /// <summary>One of the presets: <see cref="LpCapacityCommands.ConfiguredCapacityCommand"/> or <see cref="LpCapacityCommands.UnboundedCapacityCommand"/>.</summary>
    public static async Task LpCapacityPresetAsync(this ReportPocApp system, string command)
    {
        // Not cancellable: a test restores the configured capacity in a finally block, whatever its cancellation says.
        var result = await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.LpMock, command, CancellationToken.None);
        Assert.True(result.Success, $"{command}: {result.Message}");
    }

    public static async Task SetLpCapacityOrFailAsync(this ReportPocApp system, int capacity)
    {
        var result = await system.SetLpCapacityAsync(capacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(result.Success, $"{LpCapacityCommands.SetCapacityCommand} {capacity}: {result.Message}");
    }
}
