using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Api.Monitoring;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Lp;

namespace ReportPoc.Api.Apis;

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetStatusAsync).WithTags("System")
            .WithSummary("LP system state (in-flight, capacity, injected faults) and the Kafka backlog; a part is null when unreachable.");
        return app;
    }

    public static async Task<Ok<SystemStatus>> GetStatusAsync(LpClient lp, BacklogProbe backlog, ILogger<BacklogProbe> logger, CancellationToken cancellationToken)
    {
        var lpStats = lp.GetStatsAsync(cancellationToken);
        var kafkaBacklog = Task.Run(backlog.MeasureAsync, cancellationToken);

        return TypedResults.Ok(new SystemStatus(
            await OrNullAsync(lpStats, "LP stats", logger),
            await OrNullAsync(kafkaBacklog, "Kafka backlog", logger)));
    }

    private static async Task<T?> OrNullAsync<T>(Task<T> probe, string what, ILogger logger) where T : class
    {
        try
        {
            return await probe;
        }
        catch (Exception exception) when (exception is LpCallException or KafkaException)
        {
            logger.LogDebug("{What} unavailable: {Reason}", what, exception.Message);
            return null;
        }
    }
}
