using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.LpMock;

public static class LpServiceExtensions
{
    /// <summary>Registers the simulated LP system with the profile from configuration section "Lp".</summary>
    public static IServiceCollection AddLpSystem(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LpOptions>()
            .Bind(configuration.GetSection(LpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LpFaultSwitch>();
        services.AddSingleton<LatencyProfile>();
        services.AddSingleton<ReportLedger>();
        services.AddSingleton<LpStatistics>();
        services.AddSingleton<LpMetrics>();
        services.AddSingleton<LpSystem>();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

        return services;
    }
}
