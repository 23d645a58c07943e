namespace ReportPoc.AppHost.Infrastructure;

public static class TelemetrySettingsExtensions
{
    /// <summary>
    /// Passes the AppHost's <c>Telemetry</c> section (e.g. <c>Telemetry:TraceSampleRatio</c>, read by ServiceDefaults)
    /// to every project, processor instances included, so one setting decides what all services record.
    /// </summary>
    public static IDistributedApplicationBuilder WithTelemetrySettingsForEveryService(this IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Telemetry");
        var settings = section.AsEnumerable(makePathsRelative: true).Where(setting => setting.Value is not null).ToList();
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            foreach (var project in @event.Model.Resources.OfType<ProjectResource>())
            {
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
