using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Reports;

public static class ReportsServiceExtensions
{
    /// <summary>Base address of the LP system, resolved by service discovery from the AppHost's reference.</summary>
    private const string LpServiceUri = "http://lpmock";

    /// <summary>The report database (EF Core over Npgsql, migrated at start-up).</summary>
    public static IHostApplicationBuilder AddReportsDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDbContext<ReportsDbContext>("reports");
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddSingleton<ReportsTelemetry>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The database plus the LP client and the workflow both paths run.</summary>
    public static IHostApplicationBuilder AddReportWorkflow(this IHostApplicationBuilder builder)
    {
        builder.AddReportsDatabase();

        // Replaces the default resilience handler from ServiceDefaults rather than stacking a second one on it.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace it.
        builder.Services.AddHttpClient<LpClient>(http => http.BaseAddress = new Uri(LpServiceUri))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                // A saturated LP queues LPRUN calls: a long wait is normal, and cutting it short only to send the
                // same LPRUN again would double the load. Retries stay for 5xx and refused connections.
                resilience.AttemptTimeout.Timeout = TimeSpan.FromMinutes(2);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(5);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(5);
                // Open only when LP is essentially down, not at an injected 20% error rate the retries absorb.
                resilience.CircuitBreaker.FailureRatio = 0.9;
            });
#pragma warning restore EXTEXP0001

        builder.Services.AddScoped<ReportWorkflow>();
        return builder;
    }
}
