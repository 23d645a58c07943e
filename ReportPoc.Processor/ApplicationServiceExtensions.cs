using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Consuming;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Processor.Workflow;
using ReportPoc.Reports;

namespace ReportPoc.Processor;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddReportWorkflow();
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.AddKafkaConsumer<string, byte[]>("kafka", consumer =>
        {
            consumer.GroupId = builder.Configuration[$"{MessagingOptions.Section}:{nameof(MessagingOptions.ConsumerGroup)}"];
            // Offsets are committed by AssignedPartitions only up to the last contiguous finished message.
            consumer.EnableAutoCommit = false;
            consumer.EnableAutoOffsetStore = false;
            consumer.AutoOffsetReset = AutoOffsetReset.Earliest;
            // Only the partitions that move are revoked when an instance joins or leaves; the others keep working.
            consumer.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
            // A killed replica's partitions move to the survivors within seconds rather than the default 45.
            consumer.SessionTimeoutMs ??= 10_000;
            consumer.HeartbeatIntervalMs ??= 2_000;
            // Prefetch only what MaxInFlight lanes can start soon. librdkafka's default (100k messages / 64 MB per
            // consumer) makes a replica copy a whole backlog into memory, spending CPU the Api needs under overload.
            consumer.QueuedMinMessages ??= 1_000;
            consumer.QueuedMaxMessagesKbytes ??= 1_024;
        }, (services, consumer) => services.GetRequiredService<PartitionRebalancing>().AttachTo(consumer));

        // Dead letters must be durable too: acks=all and idempotence, as on the Api.
        builder.AddKafkaProducer<string, byte[]>("kafka", producer =>
        {
            producer.Acks = Acks.All;
            producer.EnableIdempotence = true;
        });

        builder.Services.AddSingleton<AssignedPartitions>();
        builder.Services.AddSingleton<PartitionRebalancing>();
        builder.Services.AddSingleton<Dependencies>();
        builder.Services.AddSingleton<ProcessorTelemetry>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<SubmissionHandler>();
        builder.Services.AddHostedService<ReportConsumer>();
        builder.Services.AddHostedService<InstanceHeartbeat>();

        // A graceful stop drains, cancels and commits within these bounds, also while LP is slow or down.
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ProcessingOptions>>((host, processing) =>
            host.ShutdownTimeout = processing.Value.DrainTimeout + processing.Value.CancelTimeout + TimeSpan.FromSeconds(5));

        return builder;
    }
}
