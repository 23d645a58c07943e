using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Apis;

/// <summary>The field limits both POST endpoints enforce, for clients (the page) that check input before sending.</summary>
public static class ReportLimitsApi
{
    public static IEndpointRouteBuilder MapReportLimitsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/limits", () => TypedResults.Ok(ReportLimits.Current))
            .WithTags("Reports")
            .WithName("GetReportLimits")
            .WithSummary("The field limits of both POST endpoints: lengths, the period's format, the Idempotency-Key header and the largest body.");
        return app;
    }
}
