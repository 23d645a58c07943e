using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.AppModel;

/// <summary>
/// Infrastructure:Mode=auto. A class of its own: building a second app model while another built-but-unstarted one is
/// alive (a class fixture) made the build wait about 30 s.
/// </summary>
public sealed class ModeDetectionTests
{
    [Fact]
    public async Task AutoModeChoosesExternalWhenBothConnectionStringsAreGiven()
    {
        await using var app = await AppModelFixture.BuildAsync(
        [
            "Infrastructure:Mode=auto",
            $"ConnectionStrings:{ResourceNames.Kafka}={ExternalModeModelTests.Kafka}",
            $"ConnectionStrings:{ResourceNames.ReportsDatabase}={ExternalModeModelTests.Reports}",
        ]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        Assert.Equal(InfrastructureMode.External, model.Resources.OfType<InfrastructureResource>().Single().Mode);
    }
}
