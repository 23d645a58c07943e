using Microsoft.AspNetCore.OpenApi;

namespace ReportPoc.Api.Infrastructure;

/// <summary>What the OpenAPI document says about the Api as a whole (its endpoints describe themselves).</summary>
internal static class OpenApiDocument
{
    public static OpenApiOptions DescribeReportPoc(this OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "ReportPoc API";
        document.Info.Description =
            "The as-is sync path and the to-be async (Kafka) path for submitting reports, side by side, and the status of a report " +
            "read (or followed as Server-Sent Events) with the capability token of its status URL. Authentication is the existing report system's job (see the README).";

        document.Tags = new HashSet<Microsoft.OpenApi.OpenApiTag>
        {
            new() { Name = "Reports", Description = "Submit a report on either path, and read or follow its status with its status URL." },
            new() { Name = "System", Description = "What the page's side panel shows: LP, the Kafka backlog and the processor instances." },
            new() { Name = "Benchmark", Description = "A trivial endpoint the benchmark measures as this machine's ceiling." },
        };

        // The server URL is the request's base address, which ends in '/'; paths start with one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        return Task.CompletedTask;
    });
}
