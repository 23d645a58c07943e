using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Chaos;
using ReportPoc.Contracts;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The chaos drill, in a smaller form (Chaos:Reports in <see cref="ReportPocApp"/>), run through the same dashboard
/// command a person clicks: processors killed and restarted, LP failing 20% of calls, the broker blipping.
/// </summary>
public sealed class ChaosTests(ReportPocApp system)
{
    [Fact]
    public async Task NoAcceptedReportIsLostAndLpNeverRunsOneTwice()
    {
        // The command bounds itself (Chaos:SettleTimeout and the drill's budget) and fails with its summary.
        var result = await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Chaos, ChaosResource.RunCommand, TestContext.Current.CancellationToken);
        system.App.ResourceNotifications.TryGetCurrentState(ResourceNames.Chaos, out var chaos);
        var outcome = chaos!.Snapshot.Properties.ToDictionary(property => property.Name, property => property.Value);
        TestContext.Current.TestOutputHelper?.WriteLine(outcome["chaos.summary"]?.ToString() ?? "");

        Assert.True(result.Success, result.Message);
        Assert.Equal(ReportPocApp.ChaosReports, (int)outcome["chaos.accepted"]!);
        Assert.Equal(0, (int)outcome["chaos.lost"]!);
        Assert.Equal(0L, (long)outcome["chaos.duplicateLpRun"]!);
        Assert.Equal(ReportPocApp.ChaosReports, (int)outcome["chaos.completed"]! + (int)outcome["chaos.failed"]!);
        Assert.True((bool)outcome["chaos.deadLettersMatchFailures"]!);
        Assert.True((int)outcome["chaos.processorKills"]! >= 1);
        Assert.True((int)outcome["chaos.brokerBlips"]! >= 1);

        await system.ScaleToAsync(1);
    }
}
