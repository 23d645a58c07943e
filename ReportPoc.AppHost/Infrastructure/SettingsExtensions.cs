namespace ReportPoc.AppHost.Infrastructure;

public static class SettingsExtensions
{
    /// <summary>
    /// Passes every key of one of the AppHost's configuration sections (e.g. "Lp": latencies, capacity, faults) to the
    /// service under the same section name, so it is set in one place: the AppHost's appsettings.json or its arguments.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettings(this IResourceBuilder<ProjectResource> service, IConfigurationSection section)
    {
        foreach (var setting in section.AsEnumerable(makePathsRelative: true).Where(setting => setting.Value is not null))
        {
            service.WithEnvironment($"{section.Key}__{setting.Key.Replace(":", "__")}", setting.Value);
        }

        return service;
    }
}
