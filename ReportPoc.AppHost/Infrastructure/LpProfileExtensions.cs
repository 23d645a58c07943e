using Microsoft.Extensions.Configuration;

namespace ReportPoc.AppHost.Infrastructure;

public static class LpProfileExtensions
{
    /// <summary>Passes every key of the AppHost's "Lp" section (latencies, capacity, faults) to the LP stand-in.</summary>
    public static IResourceBuilder<ProjectResource> WithLpProfile(this IResourceBuilder<ProjectResource> lp, IConfigurationSection profile)
    {
        foreach (var setting in profile.GetChildren().Where(setting => setting.Value is not null))
        {
            lp.WithEnvironment($"Lp__{setting.Key}", setting.Value);
        }

        return lp;
    }
}
