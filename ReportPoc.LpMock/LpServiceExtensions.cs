using ReportPoc.LpMock.Simulation;

namespace ReportPoc.LpMock;

public static class LpServiceExtensions
{
    /// <summary>Registers the simulated LP system with the profile from configuration section "Lp".</summary>
    public static IHostApplicationBuilder AddLpSystem(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LpOptions>()
            .BindConfiguration(LpOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LpFaultSwitch>();
        builder.Services.AddSingleton<LatencyProfile>();
        builder.Services.AddSingleton<RunCapacity>();
        builder.Services.AddSingleton<ReportLedger>();
        builder.Services.AddSingleton<LpStatistics>();
        builder.Services.AddSingleton<LpMetrics>();
        builder.Services.AddSingleton<LpSystem>();

        builder.Services.AddProblemDetails();
        return builder;
    }
}
