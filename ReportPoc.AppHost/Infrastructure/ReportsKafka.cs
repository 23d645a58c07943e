using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ReportPoc.AppHost.Dashboard;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;

namespace ReportPoc.AppHost.Infrastructure;

/// <summary>A single-node Apache Kafka (KRaft) container, in the shape of Aspire.Hosting.Kafka (not in our NuGet feed).</summary>
public sealed class KafkaContainerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    public const string HostEndpointName = "tcp";
    public const string InternalEndpointName = "internal";
    public const int InternalPort = 9094;

    public EndpointReference HostEndpoint => new(this, HostEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{HostEndpoint.Property(EndpointProperty.Host)}:{HostEndpoint.Property(EndpointProperty.Port)}");
}

public static class ReportsKafkaExtensions
{
    /// <summary>The consumers' fetch.wait.max.ms in local mode, under the configuration key Aspire.Confluent.Kafka reads too.</summary>
    private const string DevBrokerFetchWaitVariable = "Aspire__Confluent__Kafka__Consumer__Config__FetchWaitMaxMs";

    /// <summary>Infrastructure:DevBrokerFetchWaitMs overrides the 10 ms (the pickup benchmark compares it with librdkafka's 500).</summary>
    private const string DevBrokerFetchWaitKey = "Infrastructure:DevBrokerFetchWaitMs";
    private const int DevBrokerFetchWaitMs = 10;
    private const string DevBrokerAssignmentVariable = "Aspire__Confluent__Kafka__Consumer__Config__PartitionAssignmentStrategy";

    /// <summary>The Kafka cluster, named <paramref name="name"/> so services get ConnectionStrings:{name}, with the topics created.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddReportsKafka(
        this IDistributedApplicationBuilder builder, string name, InfrastructureResource infrastructure)
    {
        var partitions = builder.Configuration.GetValue("Infrastructure:TopicPartitions", 6);
        KafkaTopic[] topics = [new(KafkaTopics.Submitted, partitions), new(KafkaTopics.DeadLetter, partitions)];

        return infrastructure.Mode switch
        {
            InfrastructureMode.Containers => builder.AddKafkaContainer(name).WithKafkaUI().WithTopics(topics),
            InfrastructureMode.Local => builder.AddDevBroker(name, topics),
            _ => builder.AddConnectionString(name).WithTopics(topics),
        };
    }

    private static IResourceBuilder<KafkaContainerResource> AddKafkaContainer(this IDistributedApplicationBuilder builder, string name)
    {
        var kafka = new KafkaContainerResource(name);
        return builder.AddResource(kafka)
            .WithImage("apache/kafka", "4.1.0")
            .WithImageRegistry("docker.io")
            .WithEndpoint(KafkaContainerResource.HostEndpointName, endpoint =>
            {
                endpoint.TargetPort = 9092;
                endpoint.UriScheme = "tcp";
            })
            .WithEndpoint(KafkaContainerResource.InternalEndpointName, endpoint =>
            {
                endpoint.TargetPort = KafkaContainerResource.InternalPort;
                endpoint.UriScheme = "tcp";
            })
            .WithEnvironment("KAFKA_NODE_ID", "1")
            .WithEnvironment("KAFKA_PROCESS_ROLES", "broker,controller")
            .WithEnvironment("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
            .WithEnvironment("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
            .WithEnvironment("KAFKA_LISTENERS", $"PLAINTEXT://:9092,CONTROLLER://:9093,INTERNAL://:" + KafkaContainerResource.InternalPort)
            .WithEnvironment("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT")
            .WithEnvironment("KAFKA_INTER_BROKER_LISTENER_NAME", "INTERNAL")
            // Host clients reach the broker through Aspire's proxy port; containers through the resource's name.
            .WithEnvironment(context => context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = ReferenceExpression.Create(
                $"PLAINTEXT://localhost:{kafka.HostEndpoint.Property(EndpointProperty.Port)},INTERNAL://{name}:{KafkaContainerResource.InternalPort.ToString()}"))
            .WithEnvironment("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .WithEnvironment("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .WithEnvironment("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    }

    private static IResourceBuilder<KafkaContainerResource> WithKafkaUI(this IResourceBuilder<KafkaContainerResource> kafka)
    {
        kafka.ApplicationBuilder.AddContainer($"{kafka.Resource.Name}-ui", "provectuslabs/kafka-ui", "v0.7.2")
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: 8080)
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Resource.Name)
            .WithEnvironment("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", kafka.Resource.Name + ":" + KafkaContainerResource.InternalPort)
            .WithParentRelationship(kafka)
            .WaitFor(kafka);
        return kafka;
    }

    /// <summary>
    /// Local mode: the in-memory dev broker (librdkafka's mock cluster in ReportPoc.DevBroker) on a stable port
    /// (Infrastructure:DevBrokerPort; 0 lets Aspire pick one, as the tests do). It creates the topics itself.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddDevBroker(this IDistributedApplicationBuilder builder, string name, KafkaTopic[] topics)
    {
        var port = builder.Configuration.GetValue("Infrastructure:DevBrokerPort", 19092);
        var broker = builder.AddProject<Projects.ReportPoc_DevBroker>(ResourceNames.DevBroker)
            .WithEndpoint(port: port == 0 ? null : port, targetPort: port == 0 ? null : port, scheme: "tcp", name: "kafka",
                env: "DevBroker__Port", isProxied: false)
            .WithEnvironment("DevBroker__Topics", string.Join(",", topics.Select(topic => $"{topic.Name}:{topic.Partitions}")))
            .WithEnvironment("DevBroker__Brokers", builder.Configuration.GetValue("Infrastructure:DevBrokers", 3).ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("DevBroker__ConsumerGroups", KafkaTopics.ProcessorConsumerGroup)
            .WithHttpHealthCheck("/health")
            .WithStandInAdminKey()
            .WithBrokerOutageCommands();

        var endpoint = broker.GetEndpoint("kafka");
        return builder.AddConnectionString(name, ReferenceExpression.Create($"127.0.0.1:{endpoint.Property(EndpointProperty.Port)}"))
            .WaitFor(broker)
            .WithParentRelationship(broker);
    }

    /// <summary>Tells a service which consumer group the processors form (it consumes in it, or measures its backlog).</summary>
    public static IResourceBuilder<ProjectResource> WithConsumerGroup(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment($"{MessagingOptions.Section}__{nameof(MessagingOptions.ConsumerGroup)}", KafkaTopics.ProcessorConsumerGroup);

    /// <summary>
    /// A service that consumes from the cluster. Local mode only: the dev broker (librdkafka's mock cluster) does not answer
    /// a waiting fetch when data arrives, so a consumer sees a new message only when fetch.wait.max.ms (500 ms by default)
    /// runs out. 10 ms brings pickup down to milliseconds, for about a hundred empty fetches a second on loopback while
    /// idle. A real broker answers as soon as data arrives, so containers and external mode keep librdkafka's default.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevBrokerFetchWait(this IResourceBuilder<ProjectResource> service, InfrastructureResource infrastructure) =>
        infrastructure.Mode == InfrastructureMode.Local
            ? service.WithEnvironment(DevBrokerFetchWaitVariable,
                service.ApplicationBuilder.Configuration.GetValue(DevBrokerFetchWaitKey, DevBrokerFetchWaitMs).ToString(CultureInfo.InvariantCulture))
                .WithEnvironment(DevBrokerAssignmentVariable, "RoundRobin")
            : service;

    /// <summary>librdkafka's mock cluster keeps at most this much per partition (rdkafka_mock.c; no setting changes it) and drops the oldest beyond.</summary>
    public const long DevBrokerPartitionBytes = 5 * 1024 * 1024;

    /// <summary>… or at most this many batches per partition.</summary>
    public const long DevBrokerPartitionBatches = 100_000;

    /// <summary>The Api producer's batch.size in local mode: the headroom left below the mock's limit (a batch straddling the committed offset stays whole).</summary>
    private const int DevBrokerProducerBatchBytes = 256 * 1024;

    /// <summary>The AppHost setting that lifts the Api's dev-broker bound when false (the benchmark's floods set it).</summary>
    public const string DevBrokerBoundKey = "Infrastructure:DevBrokerBound";

    /// <summary>
    /// The Api, local mode: refuses submissions (503) the dev broker would drop, unread, to make room (BrokerLogCapacity):
    /// at most the mock's per-partition limit less one producer batch unread per partition. <see cref="DevBrokerBoundKey"/>=false
    /// lifts the bound, to see the processors find and report a loss.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevBrokerBound(this IResourceBuilder<ProjectResource> api, InfrastructureResource infrastructure) =>
        infrastructure.Mode == InfrastructureMode.Local && api.ApplicationBuilder.Configuration.GetValue(DevBrokerBoundKey, true)
            ? api.WithEnvironment("Aspire__Confluent__Kafka__Producer__Config__BatchSize", DevBrokerProducerBatchBytes.ToString(CultureInfo.InvariantCulture))
                .WithEnvironment("Publishing__PartitionLogBytes", (DevBrokerPartitionBytes - DevBrokerProducerBatchBytes).ToString(CultureInfo.InvariantCulture))
                // Every message may be a batch of its own.
                .WithEnvironment("Publishing__PartitionLogMessages", (DevBrokerPartitionBatches - 1).ToString(CultureInfo.InvariantCulture))
            : api;

    private static IResourceBuilder<T> WithTopics<T>(this IResourceBuilder<T> kafka, KafkaTopic[] topics) where T : IResourceWithConnectionString
    {
        var healthCheckKey = $"{kafka.Resource.Name}-topics";
        kafka.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheckKey,
            _ => new KafkaTopicsHealthCheck(kafka.Resource.ConnectionStringExpression.GetValueAsync, topics),
            failureStatus: null, tags: null));
        return kafka.WithHealthCheck(healthCheckKey);
    }
}
