using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one place for cross-cutting concerns: telemetry, health, service discovery and resilience.
/// Every ReportPoc service calls <see cref="AddServiceDefaults{TBuilder}"/> and <see cref="MapDefaultEndpoints"/>.
/// </summary>
public static class Extensions
{
    /// <summary>Every ReportPoc component names its ActivitySource and Meter with this prefix.</summary>
    public const string TelemetryPrefix = "ReportPoc.";

    /// <summary>
    /// Share of traces recorded where no caller decided (root spans); a span with a parent follows its parent's decision,
    /// so a trace is recorded whole or not at all. 1.0 (the default) records every trace up to <see cref="MaxTracesPerSecondKey"/>;
    /// the AppHost passes Telemetry:TraceSampleRatio to every service, e.g. 0.1 to see what production sampling buys.
    /// </summary>
    public const string TraceSampleRatioKey = "Telemetry:TraceSampleRatio";

    /// <summary>
    /// New traces each service records a second at most (<see cref="RateLimitedSampler"/>), after the ratio; 0 = no cap.
    /// The default keeps every trace a person can follow and caps what a load test would flood the dashboard with.
    /// </summary>
    public const string MaxTracesPerSecondKey = "Telemetry:MaxTracesPerSecond";

    public const double DefaultMaxTracesPerSecond = 20;

    private const string HealthEndpointPath = "/health";
    private const string AlivenessEndpointPath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var sampleRatio = builder.Configuration.GetValue(TraceSampleRatioKey, 1.0);
        if (sampleRatio is < 0 or > 1)
        {
            throw new InvalidOperationException($"{TraceSampleRatioKey} is {sampleRatio}; use a share between 0 and 1.");
        }

        var maxTracesPerSecond = builder.Configuration.GetValue(MaxTracesPerSecondKey, DefaultMaxTracesPerSecond);
        if (maxTracesPerSecond < 0)
        {
            throw new InvalidOperationException($"{MaxTracesPerSecondKey} is {maxTracesPerSecond}; use 0 (no cap) or more.");
        }

        Sampler roots = new TraceIdRatioBasedSampler(sampleRatio);
        if (maxTracesPerSecond > 0)
        {
            roots = new RateLimitedSampler(roots, maxTracesPerSecond, TimeProvider.System);
        }

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql")
                .AddMeter(TelemetryPrefix + "*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix + "*")
                .AddSource("Npgsql")
                .AddAspNetCoreInstrumentation(aspNetCore =>
                    // Health probes run every few seconds; their spans would bury the reports' traces.
                    aspNetCore.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                .AddHttpClientInstrumentation()
                .SetSampler(new ParentBasedSampler(roots)));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// <c>/health</c>: every check (ready to serve); <c>/alive</c>: only the liveness checks.
    /// Mapped in every environment: these services run on loopback or behind an orchestrator's network.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live")
        });

        return app;
    }
}
