using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ReportPoc.Api.AsIsServer;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Api.Apis;

/// <summary>
/// EXISTS ONLY TO EMULATE THE AS-IS SERVER (a thread-per-request server) for the collateral benchmark; not part of the
/// product and left out of the OpenAPI document. Every request under /api/as-is — the sync submission, a status read
/// and a liveness answer — runs on one of <see cref="RequestThreads"/>'s bounded request threads and blocks it until it
/// is done, so slow submissions hold threads that cheap requests then wait for. The work itself is the real sync path
/// and the real status read (<see cref="ReportsApi"/>), called and waited for.
/// </summary>
public static class AsIsServerApi
{
    public static IServiceCollection AddAsIsServerEmulation(this IServiceCollection services)
    {
        services.AddOptions<AsIsServerOptions>().BindConfiguration(AsIsServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestThreads>();
        return services;
    }

    public static IEndpointRouteBuilder MapAsIsServerApi(this IEndpointRouteBuilder app)
    {
        var asIs = app.MapGroup("/api/as-is").ExcludeFromDescription();

        asIs.MapPost("/reports/sync", (HttpRequest request, [FromHeader(Name = ReportHeaders.IdempotencyKey)] string? idempotencyKey,
                ReportWorkflow workflow, ReportStore store, [AsParameters] SubmissionServices services, RequestThreads threads, CancellationToken cancellationToken) =>
            threads.RunAsync(() => ReportsApi.SubmitSyncAsync(request, idempotencyKey, workflow, store, services, cancellationToken).GetAwaiter().GetResult()))
            .RequireRateLimiting(SubmissionRateLimiting.Policy);

        asIs.MapGet("/reports/{id:guid}", (Guid id, string? token, ReportsDbContext db, StatusTokens tokens, RequestThreads threads, CancellationToken cancellationToken) =>
            threads.RunAsync(() => ReportsApi.GetReportAsync(id, token, db, tokens, cancellationToken).GetAwaiter().GetResult()));

        asIs.MapGet("/alive", (RequestThreads threads) => threads.RunAsync(() => TypedResults.Text("ok")));

        return app;
    }
}
