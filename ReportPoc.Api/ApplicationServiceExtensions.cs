using Confluent.Kafka;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Monitoring;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Reports;
using Scalar.AspNetCore;

namespace ReportPoc.Api;

internal static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddReportWorkflow();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var publishing = builder.Configuration.GetSection(PublishingOptions.Section).Get<PublishingOptions>() ?? new PublishingOptions();
        builder.Services.AddSingleton(publishing);
        builder.AddKafkaProducer<string, byte[]>("kafka", producer =>
        {
            // Durable (every in-sync replica has it, no duplicates on retry) and quick: a tiny linger batches the
            // concurrent requests of a busy second without making a lone request wait.
            producer.Acks = Acks.All;
            producer.EnableIdempotence = true;
            producer.LingerMs ??= 1;
            // The broker's ack or a 503 within this bound; the local queue is bounded so an outage cannot eat memory.
            producer.MessageTimeoutMs = (int)publishing.AckTimeout.TotalMilliseconds;
            producer.QueueBufferingMaxMessages ??= publishing.MaxQueuedMessages;
        });

        builder.Services.AddSingleton<ReportPublisher>();
        builder.Services.AddSingleton<StatusTokens>();
        builder.Services.AddSingleton<BacklogProbe>();
        builder.Services.AddScoped<ProcessingProbe>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddOpenApi();

        return builder;
    }

    /// <summary>The interactive API page (Scalar) over the OpenAPI document, at /scalar.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapScalarApiReference(options => options.WithTitle("ReportPoc API"));
        return app;
    }
}
