using Microsoft.Extensions.Options;

namespace ReportPoc.Api.Outcomes;

internal static class ReportEventsServiceExtensions
{
    /// <summary>The instance's one change feed (also a hosted service) and the bound on its open streams.</summary>
    public static IServiceCollection AddReportEvents(this IServiceCollection services)
    {
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
