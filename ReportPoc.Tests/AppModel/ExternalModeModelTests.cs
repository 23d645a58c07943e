using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.AppModel;

public sealed class ExternalModeModel() : AppModelFixture(
    "Infrastructure:Mode=external", $"Infrastructure:TopicPartitions={InfrastructureModeContract.TopicPartitions}",
    $"ConnectionStrings:{ResourceNames.Kafka}={ExternalModeModelTests.Kafka}",
    $"ConnectionStrings:{ResourceNames.ReportsDatabase}={ExternalModeModelTests.Reports}");

/// <summary>External mode: existing services given as connection strings; the AppHost runs neither Kafka nor PostgreSQL.</summary>
public sealed class ExternalModeModelTests(ExternalModeModel app)
    : InfrastructureModeContract(app, InfrastructureMode.External), IClassFixture<ExternalModeModel>
{
    public const string Kafka = "kafka-1.example.internal:9092,kafka-2.example.internal:9092";
    public const string Reports = "Host=db.example.internal;Port=5432;Username=reports;Database=reports";

    [Fact]
    public async Task KafkaAndPostgresAreExactlyTheGivenConnectionStrings()
    {
        var cancellation = TestContext.Current.CancellationToken;
        Assert.Equal(Kafka, await app.Resource<IResourceWithConnectionString>(ResourceNames.Kafka).GetConnectionStringAsync(cancellation));
        Assert.Equal(Reports, await app.Resource<IResourceWithConnectionString>(ResourceNames.ReportsDatabase).GetConnectionStringAsync(cancellation));
    }

    [Fact]
    public void NothingRunsInAContainer()
    {
        Assert.DoesNotContain(app.Model.Resources, resource => resource is ContainerResource);
        Assert.DoesNotContain(app.Model.Resources, resource => resource.Name == ResourceNames.Postgres);
    }
}
