using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;

namespace ReportPoc.Tests.AppModel;

public sealed class ContainersModeModel() : AppModelFixture(
    "Infrastructure:Mode=containers", $"Infrastructure:TopicPartitions={InfrastructureModeContract.TopicPartitions}");

/// <summary>Containers mode, where a container runtime answers: Kafka and PostgreSQL as containers, checked without one.</summary>
public sealed class ContainersModeTests(ContainersModeModel app)
    : InfrastructureModeContract(app, InfrastructureMode.Containers), IClassFixture<ContainersModeModel>
{
    [Fact]
    public async Task KafkaIsAnApacheKafkaContainerWithAHostAndAnInternalListener()
    {
        var kafka = app.Resource<KafkaContainerResource>(ResourceNames.Kafka);
        var image = Assert.Single(kafka.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "apache/kafka", "4.1.0"), (image.Registry, image.Image, image.Tag));

        var endpoints = kafka.Annotations.OfType<EndpointAnnotation>().ToDictionary(endpoint => endpoint.Name, endpoint => endpoint.TargetPort);
        Assert.Equal(9092, endpoints[KafkaContainerResource.HostEndpointName]);
        Assert.Equal(KafkaContainerResource.InternalPort, endpoints[KafkaContainerResource.InternalEndpointName]);

        // Host processes (the services) come in through Aspire's port for the host endpoint; containers by the resource's name.
        var environment = await app.EnvironmentOf(kafka);
        Assert.Equal("broker,controller", environment["KAFKA_PROCESS_ROLES"]);
        Assert.Equal($"PLAINTEXT://localhost:{{{ResourceNames.Kafka}.bindings.{KafkaContainerResource.HostEndpointName}.port}},INTERNAL://{ResourceNames.Kafka}:{KafkaContainerResource.InternalPort}",
            environment["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.Equal($"{{{ResourceNames.Kafka}.bindings.{KafkaContainerResource.HostEndpointName}.host}}:{{{ResourceNames.Kafka}.bindings.{KafkaContainerResource.HostEndpointName}.port}}",
            kafka.ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task KafkaUiFollowsTheClusterOnItsInternalListener()
    {
        var kafka = app.Resource(ResourceNames.Kafka);
        var ui = Assert.Single(app.Model.Resources.OfType<ContainerResource>(),
            container => container.Annotations.OfType<ContainerImageAnnotation>().Single().Image == "provectuslabs/kafka-ui");

        Assert.Contains(ui.Annotations.OfType<WaitAnnotation>(), wait => wait.Resource == kafka && wait.WaitType == WaitType.WaitUntilHealthy);
        Assert.Contains(ui.Annotations.OfType<ResourceRelationshipAnnotation>(), relation => relation.Resource == kafka && relation.Type == "Parent");
        var environment = await app.EnvironmentOf(ui);
        Assert.Equal($"{ResourceNames.Kafka}:{KafkaContainerResource.InternalPort}", environment["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]);
    }

    [Fact]
    public void PostgresIsAspiresContainerServingTheReportsDatabase()
    {
        var server = app.Resource<PostgresServerResource>(ResourceNames.Postgres);
        var image = Assert.Single(server.Annotations.OfType<ContainerImageAnnotation>());
        Assert.Equal(("docker.io", "library/postgres"), (image.Registry, image.Image));
        Assert.False(string.IsNullOrEmpty(image.Tag));
        Assert.Equal(5432, Assert.Single(server.Annotations.OfType<EndpointAnnotation>()).TargetPort);
        Assert.NotEmpty(server.Annotations.OfType<HealthCheckAnnotation>());

        var database = app.Resource<PostgresDatabaseResource>(ResourceNames.ReportsDatabase);
        Assert.Same(server, database.Parent);
        Assert.Equal(ResourceNames.ReportsDatabase, database.DatabaseName);
        Assert.NotEmpty(database.Annotations.OfType<HealthCheckAnnotation>());

        Assert.Contains(app.Model.Resources.OfType<ContainerResource>(),
            container => container.Annotations.OfType<ContainerImageAnnotation>().Single().Image == "sosedoff/pgweb");
    }
}
