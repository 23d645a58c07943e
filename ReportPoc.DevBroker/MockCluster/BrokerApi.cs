using Microsoft.AspNetCore.Http.HttpResults;

namespace ReportPoc.DevBroker.MockCluster;

public static class BrokerApi
{
    public static IServiceCollection AddDevKafkaCluster(this IServiceCollection services)
    {
        services.AddOptions<DevBrokerOptions>().BindConfiguration(DevBrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DevKafkaCluster>();
        services.AddHostedService(provider => provider.GetRequiredService<DevKafkaCluster>());
        return services;
    }

    /// <summary>State and the outage switch (used by the AppHost's dashboard commands and the fault tests).</summary>
    public static IEndpointRouteBuilder MapBrokerApi(this IEndpointRouteBuilder app)
    {
        var broker = app.MapGroup("/broker").RequireStandInAdminKey();
        broker.MapGet("/", (DevKafkaCluster cluster) => TypedResults.Ok(cluster.State));
        broker.MapPost("/down", Ok<BrokerState> (DevKafkaCluster cluster) =>
        {
            cluster.SetDown();
            return TypedResults.Ok(cluster.State);
        });
        broker.MapPost("/up", Ok<BrokerState> (DevKafkaCluster cluster) =>
        {
            cluster.SetUp();
            return TypedResults.Ok(cluster.State);
        });
        broker.MapPost("/{id:int}/down", Results<Ok<BrokerState>, ProblemHttpResult> (int id, DevKafkaCluster cluster) => cluster.SetBrokerDown(id)
            ? TypedResults.Ok(cluster.State)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"Broker {id} cannot be taken down alone.",
                detail: "It does not exist, or it is the last broker up (POST /broker/down takes the whole cluster down)."));
        broker.MapPost("/{id:int}/up", Results<Ok<BrokerState>, ProblemHttpResult> (int id, DevKafkaCluster cluster) => cluster.SetBrokerUp(id)
            ? TypedResults.Ok(cluster.State)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No broker {id}."));
        broker.MapPut("/latency/{milliseconds:int:range(0,600000)}", Ok<BrokerState> (int milliseconds, DevKafkaCluster cluster) =>
        {
            cluster.SetLatency(milliseconds);
            return TypedResults.Ok(cluster.State);
        });
        return app;
    }
}
