using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using ReportPoc.Contracts;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Reports;

public static class ReportsServiceExtensions
{
    /// <summary>The report database (EF Core over Npgsql). Its schema is applied by ReportPoc.DatabaseMigrations before services start.</summary>
    public static IHostApplicationBuilder AddReportsDatabase(this IHostApplicationBuilder builder)
    {
        // No hidden retries: an unreachable database surfaces at once, so the processor can pause and probe it and the
        // Api can answer 503, instead of every call waiting out EF Core's own retry budget.
        builder.AddNpgsqlDbContext<ReportsDbContext>(ResourceNames.ReportsDatabase, settings => settings.DisableRetry = true);
        builder.Services.AddSingleton<ReportsTelemetry>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>The database plus the LP client and the workflow both paths run.</summary>
    public static IHostApplicationBuilder AddReportWorkflow(this IHostApplicationBuilder builder)
    {
        builder.AddReportsDatabase();
        builder.Services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LpClientOptions>().BindConfiguration(LpClientOptions.Section).ValidateDataAnnotations().ValidateOnStart();

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace ServiceDefaults' handler.
        builder.Services.AddHttpClient<LpClient>((services, http) =>
            {
                http.BaseAddress = services.GetRequiredService<IOptions<LpClientOptions>>().Value.BaseAddress;
                http.Timeout = Timeout.InfiniteTimeSpan; // LpClient bounds each call itself (RequestTimeout, RunTimeout)
            })
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                ConnectTimeout = services.GetRequiredService<IOptions<LpClientOptions>>().Value.ConnectTimeout,
            })
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("lp", (pipeline, context) =>
            {
                var lp = context.ServiceProvider.GetRequiredService<IOptions<LpClientOptions>>().Value;

                // Reads only: a POST to LP changes it (LPRUN above all), so whether to repeat one is the workflow's call.
                if (lp.ReadRetries > 0)
                {
                    var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = lp.ReadRetries };
                    retry.DisableForUnsafeHttpMethods();
                    pipeline.AddRetry(retry);
                }

                // Fail fast while LP is essentially down; the processor's gate probes it and resumes on its own.
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.8,
                    MinimumThroughput = 20,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = TimeSpan.FromSeconds(5),
                });
            });
#pragma warning restore EXTEXP0001

        builder.Services.AddScoped<ReportStore>();
        builder.Services.AddScoped<ReportWorkflow>();
        return builder;
    }
}
