using Aspire.Hosting;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>A client's path switched the way an operator does it: the dashboard command "Clients: set path…" on the Api.</summary>
public static class ClientPathControl
{
    public static async Task SetClientPathAsync(this ReportPocApp system, string clientId, ClientPath path)
    {
        var result = await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Api, ClientPathCommands.Name,
            new InteractionInputCollection(
            [
                new InteractionInput { Name = ClientPathCommands.ClientArgument, InputType = InputType.Text, Value = clientId },
                new InteractionInput { Name = ClientPathCommands.PathArgument, InputType = InputType.Choice, Value = path.ToString() },
            ]),
            CancellationToken.None);
        Assert.True(result.Success, $"{ClientPathCommands.Name} {clientId} {path}: {result.Message}");
    }
}
