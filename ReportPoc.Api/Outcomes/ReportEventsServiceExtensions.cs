using Microsoft.Extensions.Options;
using ReportPoc.Api.Compatibility;

namespace ReportPoc.Api.Outcomes;

internal static class ReportEventsServiceExtensions
{
    /// <summary>
    /// The instance's one change feed (also a hosted service), the bound on its open streams, and the client paths of the
    /// compatibility endpoint, which the feed keeps current.
    /// </summary>
    public static IServiceCollection AddReportEvents(this IServiceCollection services)
    {
        services.AddOptions<CompatibilityOptions>().BindConfiguration(CompatibilityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ClientPathDirectory>();
        services.AddOptions<ReportEventsOptions>().BindConfiguration(ReportEventsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReportChangeFeed>();
        services.AddHostedService(provider => provider.GetRequiredService<ReportChangeFeed>());
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ReportEventsOptions>>().Value;
            return new StreamAdmission(options.MaxStreamsPerClient, options.MaxStreamsPerInstance);
        });
        return services;
    }
}
