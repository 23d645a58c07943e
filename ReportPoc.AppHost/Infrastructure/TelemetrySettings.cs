namespace ReportPoc.AppHost.Infrastructure;

public static class TelemetrySettingsExtensions
{
    /// <summary>
    /// Aspire has every service export its metrics each second in development. Each export collects and sends every
    /// instrument, so at 1 s it was a large share of an idle service's CPU (and of the dashboard's, receiving them);
    /// every 5 s, the dashboard's charts get a point per 5 s. Traces and logs keep Aspire's 1 s batches: an idle
    /// service has none to send, and a person following a request wants its trace at once.
    /// </summary>
    private const string MetricExportIntervalMs = "5000";

    /// <summary>
    /// Passes the AppHost's <c>Telemetry</c> section (e.g. <c>Telemetry:MaxTracesPerSecond</c>, read by ServiceDefaults)
    /// to every project, processor instances included, so one setting decides what all services record; and sets the
    /// metric export interval for all of them.
    /// </summary>
    public static IDistributedApplicationBuilder WithTelemetrySettingsForEveryService(this IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Telemetry");
        var settings = section.AsEnumerable(makePathsRelative: true).Where(setting => setting.Value is not null).ToList();
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
                project.Annotations.Add(new EnvironmentCallbackAnnotation("OTEL_METRIC_EXPORT_INTERVAL", () => MetricExportIntervalMs));
                foreach (var (key, value) in settings)
                {
                    project.Annotations.Add(new EnvironmentCallbackAnnotation($"{section.Key}__{key.Replace(":", "__")}", () => value!));
                }
            }

            return Task.CompletedTask;
        });
        return builder;
    }
}
