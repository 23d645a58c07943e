using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Api.Monitoring;
using ReportPoc.Contracts.Operations;

namespace ReportPoc.Api.Apis;

public static class SystemApi
{
    /// <summary>
    /// Outside Development <c>/api/system</c> exists only with this switch on: it shows the deployment's inside (processor
    /// instances, partitions, LP's load, why processing paused), which is the operators' view, not every client's.
    /// </summary>
    public const string PublicSwitch = "SystemStatus:Public";

    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetStatusAsync).WithTags("System").WithName("GetSystemStatus")
            .WithSummary("LP's state, the Kafka backlog, the processor instances (partitions, pauses, recent throughput, what limits it), " +
                "messages lost from the log with their reports, and local mode's broker bound, measured at most once a second; a part is null when unreachable.");
        return app;
    }

    public static async Task<Ok<SystemStatus>> GetStatusAsync(SystemStatusSnapshot snapshot, CancellationToken cancellationToken) =>
        TypedResults.Ok(await snapshot.GetAsync(cancellationToken));
}
