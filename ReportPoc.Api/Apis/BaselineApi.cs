namespace ReportPoc.Api.Apis;

/// <summary>A trivial endpoint on the same Api: the benchmark's measure of what this machine's HTTP stack can do.</summary>
public static class BaselineApi
{
    public static IEndpointRouteBuilder MapBaselineApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/baseline", () => TypedResults.Text("ok"))
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .WithTags("Benchmark")
            .WithName("GetBaseline")
            .WithSummary("Answers \"ok\" and does nothing else: what this machine's HTTP stack costs, for the benchmark to compare against.");
        return app;
    }
}
