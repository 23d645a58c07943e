using Confluent.Kafka;
using ReportPoc.Processor.Consuming;
using ReportPoc.Processor.Workflow;
using ReportPoc.Reports;

namespace ReportPoc.Processor;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddReportWorkflow();

        var options = builder.Configuration.GetSection(ProcessingOptions.Section).Get<ProcessingOptions>() ?? new ProcessingOptions();
        builder.Services.AddSingleton(options);

        builder.AddKafkaConsumer<string, byte[]>("kafka", consumer =>
        {
            consumer.GroupId = options.ConsumerGroup;
            // Offsets are committed by ReportConsumer only up to the last contiguous finished message.
            consumer.EnableAutoCommit = false;
            consumer.EnableAutoOffsetStore = false;
            consumer.AutoOffsetReset = AutoOffsetReset.Earliest;
            // A killed replica's partitions move to the survivors within seconds rather than the default 45.
            consumer.SessionTimeoutMs ??= 10_000;
            consumer.HeartbeatIntervalMs ??= 2_000;
            // Prefetch only what MaxInFlight lanes can start soon. librdkafka's default (100k messages / 64 MB per
            // consumer) makes a replica copy a whole backlog into memory, spending CPU the Api needs under overload.
            consumer.QueuedMinMessages ??= 1_000;
            consumer.QueuedMaxMessagesKbytes ??= 1_024;
        }, (services, consumer) => services.GetRequiredService<PartitionOffsets>().AttachTo(consumer));

        // Dead letters must be durable too: acks=all and idempotence, as on the Api.
        builder.AddKafkaProducer<string, byte[]>("kafka", producer =>
        {
            producer.Acks = Acks.All;
            producer.EnableIdempotence = true;
        });

        builder.Services.AddSingleton<PartitionOffsets>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<SubmissionHandler>();
        builder.Services.AddHostedService<ReportConsumer>();
        // Let in-flight reports finish and their offsets be committed on a graceful stop.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));

        return builder;
    }
}
