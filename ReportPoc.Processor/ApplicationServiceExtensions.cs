using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Processor.Availability;
using ReportPoc.Processor.Consuming;
using ReportPoc.Processor.Handling;
using ReportPoc.Processor.Monitoring;
using ReportPoc.Reports;

namespace ReportPoc.Processor;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddReportWorkflow();
        builder.Services.AddOptions<ProcessingOptions>().BindConfiguration(ProcessingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // librdkafka tuning (session timeout, heartbeat, prefetch) is configuration: appsettings.json,
        // Aspire:Confluent:Kafka:Consumer:Config. What follows is correctness, not tuning.
        builder.AddKafkaConsumer<string, byte[]>(ResourceNames.Kafka, settings =>
        {
            settings.Config.GroupId = builder.Configuration[$"{MessagingOptions.Section}:{nameof(MessagingOptions.ConsumerGroup)}"];
            // Offsets are committed by AssignedPartitions only up to the last contiguous finished message.
            settings.Config.EnableAutoCommit = false;
            settings.Config.EnableAutoOffsetStore = false;
            // A position that fell out of the log moves to its start; LogPositionWatch reports what was jumped over.
            settings.Config.AutoOffsetReset = AutoOffsetReset.Earliest;
            // Only the partitions that move are revoked when an instance joins or leaves; the others keep working. (The
            // AppHost chooses an eager strategy for the in-memory dev broker, whose group coordinator mis-assigns here.)
            settings.Config.PartitionAssignmentStrategy ??= PartitionAssignmentStrategy.CooperativeSticky;
        }, (services, consumer) => services.GetRequiredService<PartitionRebalancing>().AttachTo(consumer));

        // Dead letters must be durable too: acks=all and idempotence, as on the Api.
        builder.AddKafkaProducer<string, byte[]>(ResourceNames.Kafka, settings =>
        {
            settings.Config.Acks = Acks.All;
            settings.Config.EnableIdempotence = true;
        });

        builder.Services.AddSingleton<AssignedPartitions>();
        builder.Services.AddSingleton<PartitionRebalancing>();
        builder.Services.AddSingleton<Dependencies>();
        builder.Services.AddProcessorTelemetry();
        builder.Services.AddSingleton<OutcomeAlarm>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<SubmissionHandler>();
        builder.Services.AddHostedService<InstanceHeartbeat>();
        builder.Services.AddSingleton<LostMessages>();
        builder.Services.AddSingleton<LogPositionWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LogPositionWatch>());
        // Last, because the host stops its services in reverse order, one after the other: the consumer drains, commits
        // and leaves the group first, so nothing stopping before it (the heartbeat's row delete on a hung database) can
        // spend the shutdown bound it needs.
        builder.Services.AddHostedService<ReportConsumer>();
        builder.Services.AddHealthChecks()
            .AddCheck<LostMessages>(LostMessages.HealthCheckName)
            .AddCheck<OutcomeAlarm>(OutcomeAlarm.HealthCheckName);

        // A graceful stop drains, cancels, commits and leaves the group within these bounds, also while LP is slow or down
        // or a rebalance is under way; the half second left is the other services' (the heartbeat's row delete).
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ProcessingOptions>>((host, processing) =>
            host.ShutdownTimeout = processing.Value.StopTimeout + TimeSpan.FromSeconds(0.5));

        return builder;
    }

    /// <summary>
    /// The folders depend one way (consuming → handling → monitoring → availability): what the consumer owns reaches
    /// the instruments from here, not by Monitoring reading Consuming.
    /// </summary>
    public static IServiceCollection AddProcessorTelemetry(this IServiceCollection services) =>
        services.AddSingleton(provider =>
        {
            var partitions = provider.GetRequiredService<AssignedPartitions>();
            return new ProcessorTelemetry(provider.GetRequiredService<IMeterFactory>(), provider.GetRequiredService<Dependencies>(),
                () => partitions.Partitions.Count, () => partitions.Running, partitions.RunningLongerThan,
                provider.GetRequiredService<IOptions<ProcessingOptions>>(), provider.GetRequiredService<TimeProvider>());
        });
}
