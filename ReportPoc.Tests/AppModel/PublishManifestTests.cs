using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.AppModel;

/// <summary>The AppHost's model as `aspire publish` builds it (publish mode, the manifest publisher).</summary>
public sealed class PublishModeModel() : AppModelFixture(
    "--operation", "publish", "--publisher", "manifest", "--output-path", Path.Combine(Path.GetTempPath(), "reportpoc-manifest-" + Guid.NewGuid().ToString("N")));

/// <summary>
/// Publishing carries no stand-in and no control (README, "Who may call the Api"): the LP stand-in and the tools of this
/// machine stay out of the manifest, the services are pointed at the real LP, and local mode's processes are never published.
/// </summary>
public sealed class PublishManifestTests(PublishModeModel app) : IClassFixture<PublishModeModel>
{
    [Theory]
    [InlineData(ResourceNames.LpMock)]
    [InlineData(ResourceNames.Chaos)]
    [InlineData(ResourceNames.Benchmark)]
    public void StandInsAndTheMachinesToolsAreLeftOutOfTheManifest(string name) =>
        Assert.Contains(ManifestPublishingCallbackAnnotation.Ignore, app.Resource(name).Annotations);

    [Theory]
    [InlineData(ResourceNames.Api)]
    [InlineData(ResourceNames.Processor)]
    public async Task TheServicesAreGivenTheRealLpsAddressAndNoReferenceToTheStandIn(string service)
    {
        var environment = await app.EnvironmentOf(app.Resource(service));

        Assert.Equal($"{{{LpSystem.RealLpUrlParameter}.value}}", environment["LpClient__BaseAddress"]);
        Assert.DoesNotContain(environment.Keys, key => key.Contains(ResourceNames.LpMock, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(app.Resource(service).Annotations.OfType<WaitAnnotation>(), wait => wait.Resource.Name == ResourceNames.LpMock);
    }

    [Fact]
    public void LocalModesProcessesAreNeverPublished()
    {
        Assert.Equal(InfrastructureMode.Containers, app.Resource<InfrastructureResource>(ResourceNames.Infrastructure).Mode);
        Assert.DoesNotContain(app.Model.Resources, resource => resource.Name == ResourceNames.DevBroker);
    }

    [Fact]
    public async Task LocalModeRefusesToPublish()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => AppModelFixture.BuildAsync(
            ["--operation", "publish", "--publisher", "manifest", "--output-path", Path.GetTempPath(), "Infrastructure:Mode=local"]));

        Assert.Contains("publish with containers or external", Flatten(refused));
    }

    private static string Flatten(Exception exception) => exception.InnerException is { } inner ? exception.Message + " | " + Flatten(inner) : exception.Message;
}
