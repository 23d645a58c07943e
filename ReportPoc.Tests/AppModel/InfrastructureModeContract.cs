using Aspire.Hosting.ApplicationModel;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.Tests.AppModel;

/// <summary>
/// What every infrastructure mode must declare, whatever runs Kafka and PostgreSQL: the services get both connection
/// strings and the consumer group, start only once the topics exist and the schema is migrated, and nothing of local
/// mode's stand-ins is left in the model.
/// </summary>
public abstract class InfrastructureModeContract(AppModelFixture app, InfrastructureMode mode)
{
    /// <summary>Set in every mode's fixture, so the tests see the setting arrive rather than a default.</summary>
    public const int TopicPartitions = 3;

    private static readonly string[] KafkaClients = [ResourceNames.Api, ResourceNames.Processor];

    [Fact]
    public void InfrastructureResourceShowsTheMode() =>
        Assert.Equal(mode, app.Resource<InfrastructureResource>(ResourceNames.Infrastructure).Mode);

    [Fact]
    public async Task ServicesGetBothConnectionStringsAndTheConsumerGroup()
    {
        foreach (var service in KafkaClients)
        {
            var environment = await app.EnvironmentOf(app.Resource(service));
            Assert.Equal(ConnectionStringOf(ResourceNames.Kafka), environment[ConnectionStringVariable(ResourceNames.Kafka)]);
            Assert.Equal(ConnectionStringOf(ResourceNames.ReportsDatabase), environment[ConnectionStringVariable(ResourceNames.ReportsDatabase)]);
            Assert.Equal(KafkaTopics.ProcessorConsumerGroup, environment[$"{MessagingOptions.Section}__{nameof(MessagingOptions.ConsumerGroup)}"]);
        }

        var migrations = await app.EnvironmentOf(app.Resource(ResourceNames.DatabaseMigrations));
        Assert.Equal(ConnectionStringOf(ResourceNames.ReportsDatabase), migrations[ConnectionStringVariable(ResourceNames.ReportsDatabase)]);
        Assert.DoesNotContain(ConnectionStringVariable(ResourceNames.Kafka), migrations.Keys);
    }

    [Fact]
    public void ServicesStartOnlyOnceTheTopicsExistAndTheSchemaIsMigrated()
    {
        foreach (var service in KafkaClients)
        {
            var waits = WaitsOf(app.Resource(service));
            Assert.Contains((ResourceNames.Kafka, WaitType.WaitUntilHealthy), waits);
            Assert.Contains((ResourceNames.DatabaseMigrations, WaitType.WaitForCompletion), waits);
        }

        Assert.Contains((ResourceNames.ReportsDatabase, WaitType.WaitUntilHealthy), WaitsOf(app.Resource(ResourceNames.DatabaseMigrations)));
    }

    [Fact]
    public void KafkaIsHealthyOnlyOnceTheApplicationsTopicsExist()
    {
        var kafka = app.Resource(ResourceNames.Kafka);
        var key = Assert.Single(kafka.Annotations.OfType<HealthCheckAnnotation>(), check => check.Key.Contains("topics")).Key;

        var check = Assert.IsType<KafkaTopicsHealthCheck>(app.HealthCheck(key));
        Assert.Equal([new KafkaTopic(KafkaTopics.Submitted, TopicPartitions), new KafkaTopic(KafkaTopics.DeadLetter, TopicPartitions)], check.Topics);
    }

    [Fact]
    public void LocalModesStandInsAreAbsent()
    {
        Assert.DoesNotContain(app.Model.Resources, resource => resource.Name == ResourceNames.DevBroker);
        Assert.DoesNotContain(app.Model.Resources, resource => resource is LocalPostgresResource);
    }

    private static string ConnectionStringVariable(string resource) => $"ConnectionStrings__{resource}";

    /// <summary>How the manifest refers to a resource's connection string.</summary>
    private static string ConnectionStringOf(string resource) => $"{{{resource}.connectionString}}";

    private static List<(string Resource, WaitType Type)> WaitsOf(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(wait => (wait.Resource.Name, wait.WaitType)).ToList();
}
