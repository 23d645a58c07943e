using Confluent.Kafka;
using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Api.Monitoring;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;

namespace ReportPoc.Api.Apis;

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/system", GetStatusAsync).WithTags("System").WithName("GetSystemStatus")
            .WithSummary("LP's state, the Kafka backlog, the processor instances (partitions, pauses, recent throughput, what limits it), messages lost from the log with their reports, and local mode's broker bound; a part is null when unreachable.");
        return app;
    }

    public static async Task<Ok<SystemStatus>> GetStatusAsync(LpClient lp, BacklogProbe backlog, ProcessingProbe processing, LostMessagesProbe lost,
        BrokerLogCapacity brokerLog, ILogger<BacklogProbe> logger, CancellationToken cancellationToken)
    {
        var lpStatsRead = OrNullAsync(lp.GetStatsAsync(cancellationToken), "LP stats", logger);
        var kafkaBacklog = await OrNullAsync(Task.Run(backlog.MeasureAsync, cancellationToken), "Kafka backlog", logger);
        var lpStats = await lpStatsRead;
        // The bottleneck is judged from LP's slots and the partition count, so the processors are measured last.
        var processors = await OrNullAsync(processing.MeasureAsync(kafkaBacklog, lpStats, cancellationToken), "processor instances", logger);
        var lostMessages = await OrNullAsync(lost.MeasureAsync(cancellationToken), "lost messages", logger);
        return TypedResults.Ok(new SystemStatus(lpStats, kafkaBacklog, processors, lostMessages, brokerLog.Occupancy));
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
