using System.Text.Json.Serialization;
using Confluent.Kafka;
using ReportPoc.Api.Apis;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Monitoring;
using ReportPoc.Api.Outcomes;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts;
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

        builder.Services.AddOptions<PublishingOptions>().BindConfiguration(PublishingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StatusTokenOptions>().BindConfiguration(StatusTokenOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // librdkafka tuning (linger, local queue bound) is configuration: appsettings.json, Aspire:Confluent:Kafka:Producer:Config.
        // The ack timeout is read here because the producer's config is settled at registration, before options exist.
        var ackTimeout = builder.Configuration.GetSection(PublishingOptions.Section).GetValue(nameof(PublishingOptions.AckTimeout), new PublishingOptions().AckTimeout);
        builder.AddKafkaProducer<string, byte[]>(ResourceNames.Kafka, settings =>
        {
            // Durable: every in-sync replica has the message, and a retry cannot duplicate it.
            settings.Config.Acks = Acks.All;
            settings.Config.EnableIdempotence = true;
            // The broker's ack or a 503 within this bound (the contract of POST /api/reports).
            settings.Config.MessageTimeoutMs = (int)ackTimeout.TotalMilliseconds;
        });

        // BacklogProbe's offsets reader: the processors' group, read only (never subscribes, never commits). The producer's
        // health check already reports Kafka; statistics would queue up unread in a consumer nothing consumes from.
        builder.AddKafkaConsumer<Ignore, Ignore>(ResourceNames.Kafka, settings =>
        {
            settings.Config.GroupId = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>()?.ConsumerGroup;
            settings.Config.EnableAutoCommit = false;
            settings.DisableHealthChecks = true;
            settings.DisableMetrics = true;
            settings.DisableTracing = true;
        });

        builder.Services.AddSingleton<ReportPublisher>();
        builder.Services.AddSingleton<BrokerLogCapacity>();
        builder.Services.AddHostedService(services => services.GetRequiredService<BrokerLogCapacity>());
        builder.Services.AddSingleton<AcceptedLedger>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AcceptedLedger>());
        builder.Services.AddScoped<LostMessagesProbe>();
        builder.Services.AddSingleton<StatusTokens>();
        builder.Services.AddSingleton<StatusUrls>();
        // No scheme of its own: the existing system's (or a test's) scheme plugs in here, IReporterIdentity reads its claims.
        builder.Services.AddAuthentication();
        builder.Services.AddOptions<ReporterIdentityOptions>().BindConfiguration(ReporterIdentityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IReporterIdentity, ClaimsReporterIdentity>();
        builder.Services.AddSingleton<BacklogProbe>();
        builder.Services.AddReportEvents();
        builder.Services.AddScoped<ProcessingProbe>();
        builder.Services.AddSingleton<SystemStatusSnapshot>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ClientErrorHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddSubmissionRateLimiting();
        // Numbers are written as JSON numbers and never read from strings, so the document types them as numbers only.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        builder.Services.AddOpenApi(options => options.DescribeReportPoc());
        builder.Services.AddAsIsServerEmulation();

        return builder;
    }

    /// <summary>The interactive API page (Scalar) over the OpenAPI document, at /scalar.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapScalarApiReference(options => options.WithTitle("ReportPoc API"));
        return app;
    }
}
