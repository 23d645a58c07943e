using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Api.Monitoring;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;

namespace ReportPoc.Api.Apis;

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetStatusAsync).WithTags("System").WithName("GetSystemStatus")
            .WithSummary("LP's state, the Kafka backlog and the processor instances (partitions, pauses, recent throughput); a part is null when unreachable.");
        return app;
    }

    public static async Task<Ok<SystemStatus>> GetStatusAsync(LpClient lp, BacklogProbe backlog, ProcessingProbe processing, ILogger<BacklogProbe> logger,
        CancellationToken cancellationToken)
    {
        var lpStats = OrNullAsync(lp.GetStatsAsync(cancellationToken), "LP stats", logger);
        var kafkaBacklog = await OrNullAsync(Task.Run(backlog.MeasureAsync, cancellationToken), "Kafka backlog", logger);
        var processors = await OrNullAsync(processing.MeasureAsync(kafkaBacklog?.Messages, cancellationToken), "processor instances", logger);
        return TypedResults.Ok(new SystemStatus(await lpStats, kafkaBacklog, processors));
    }

    private static async Task<T?> OrNullAsync<T>(Task<T> probe, string what, ILogger logger) where T : class
    {
        try
        {
            return await probe;
        }
        catch (Exception exception) when (exception is LpCallException or KafkaException || DatabaseFailures.IsUnavailable(exception))
        {
            logger.LogDebug("{What} unavailable: {Reason}", what, exception.Message);
            return null;
        }
    }
}
