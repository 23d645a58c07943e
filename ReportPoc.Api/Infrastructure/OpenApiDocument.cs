using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Infrastructure;

/// <summary>
/// What the OpenAPI document says about the Api as a whole (its endpoints describe themselves), and the rules the
/// endpoints' metadata cannot express: the request's field rules (SubmitReportRequest.Validate's, as patterns and
/// lengths), the headers every answer of a kind carries, and which parameters a request needs. The scenario tests
/// check every answer they receive against this document (ReportPoc.Tests' OpenApiConformance).
/// </summary>
internal static class OpenApiDocument
{
    /// <summary>An Idempotency-Key: 1–128 printable ASCII characters without spaces (ReportFieldLimits.IsValidIdempotencyKey).</summary>
    public const string IdempotencyKeyPattern = "^[!-~]+$";

    /// <summary>A single line: no control or format character (Unicode Cc, Cf).</summary>
    public const string LinePattern = @"^[^\p{Cc}\p{Cf}]*$";

    /// <summary>A text: no control character but tab, LF and CR, and no bidirectional control.</summary>
    public const string TextPattern = @"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$";

    public const string ReporterIdPattern = "^[A-Za-z0-9_-]+$";

    /// <summary>yyyy-MM, a real month (year 0001 to 9999).</summary>
    public const string PeriodPattern = "^(?!0000)[0-9]{4}-(0[1-9]|1[0-2])$";

    public static OpenApiOptions DescribeReportPoc(this OpenApiOptions options) => options
        .AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type == typeof(SubmitReportRequest))
            {
                DescribeSubmission(schema);
            }
            else if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type.Namespace?.StartsWith("ReportPoc.", StringComparison.Ordinal) == true
                && schema.Properties is { Count: > 0 })
            {
                // The Api's own answers carry exactly their declared fields (problem details may carry extensions).
                schema.AdditionalPropertiesAllowed = false;
            }
            else if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
            {
                schema.Required = new HashSet<string> { "errors" };
            }

            return Task.CompletedTask;
        })
        .AddOperationTransformer((operation, context, _) =>
        {
            DescribeParameters(operation);
            DescribeAnswers(operation, context.Document!);
            return Task.CompletedTask;
        })
        .AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ReportPoc API";
            document.Info.Description =
                "The as-is sync path and the to-be async (Kafka) path for submitting reports, side by side, and the status of a report " +
                "read (or followed as Server-Sent Events) with the capability token of its status URL. Authentication is the existing report system's job (see the README).";

            document.Tags = new HashSet<OpenApiTag>
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

    /// <summary>SubmitReportRequest.Validate's rules: every field a string (never null), its length and characters; no other field.</summary>
    private static void DescribeSubmission(OpenApiSchema schema)
    {
        schema.AdditionalPropertiesAllowed = false;
        schema.Description = "Exactly these fields, each once, names case-sensitive. Lengths count UTF-16 code units; no field holds a lone surrogate.";
        Field("reporterId", 1, ReportFieldLimits.ReporterIdMaxLength, ReporterIdPattern);
        Field("reportType", 1, ReportFieldLimits.ReportTypeMaxLength, LinePattern);
        Field("period", ReportFieldLimits.PeriodLength, ReportFieldLimits.PeriodLength, PeriodPattern);
        Field("title", 1, ReportFieldLimits.TitleMaxLength, LinePattern);
        Field("content", 0, ReportFieldLimits.ContentMaxLength, TextPattern);

        void Field(string name, int minLength, int maxLength, string pattern)
        {
            var field = (OpenApiSchema)schema.Properties![name];
            field.Type = JsonSchemaType.String;
            field.MinLength = minLength;
            field.MaxLength = maxLength;
            field.Pattern = pattern;
        }
    }

    private static void DescribeParameters(OpenApiOperation operation)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            switch (parameter.Name, parameter.In)
            {
                case (ReportHeaders.IdempotencyKey, ParameterLocation.Header):
                    parameter.Description = "Names one submission of this reporter: a repeat with the same key and body answers with the same report, " +
                        "the same key with another body is 422. 1–128 printable ASCII characters without spaces, else 400.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        MinLength = 1,
                        MaxLength = ReportFieldLimits.IdempotencyKeyMaxLength,
                        Pattern = IdempotencyKeyPattern,
                    };
                    break;

                case ("token", ParameterLocation.Query):
                    // Without it the answer is the same 404 as with a wrong one: the status URL always carries it.
                    parameter.Required = true;
                    parameter.Description = "The capability token of the report's status URL (as its submission answered); a missing, wrong or expired token is 404.";
                    break;
            }
        }
    }

    private static void DescribeAnswers(OpenApiOperation operation, Microsoft.OpenApi.OpenApiDocument document)
    {
        operation.Responses ??= [];

        // Every endpoint is behind a per-client rate limit (SubmissionRateLimiting: submissions, or the reads budget).
        if (!operation.Responses.ContainsKey("429"))
        {
            operation.Responses["429"] = new OpenApiResponse
            {
                Description = "Too Many Requests",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
                },
            };
        }

        foreach (var (status, answer) in operation.Responses)
        {
            if (answer is not OpenApiResponse response)
            {
                continue;
            }

            switch (status)
            {
                case "202":
                    Header(response, "Location", "The status URL, as statusUrl in the body.");
                    break;

                case "429" or "503":
                    Header(response, "Retry-After", "Seconds to wait before sending again.", JsonSchemaType.Integer);
                    break;

                case "400" when response.Content?.TryGetValue("application/problem+json", out var problem) == true:
                    response.Description = "Field errors (errors names each field: a body field, Idempotency-Key, or body for JSON that is not " +
                        "one object with the fields), or a request whose HTTP framing or body cannot be read (a problem without errors).";
                    problem.Schema = new OpenApiSchema
                    {
                        AnyOf = [new OpenApiSchemaReference("HttpValidationProblemDetails", document), new OpenApiSchemaReference("ProblemDetails", document)],
                    };
                    break;
            }
        }
    }

    private static void Header(OpenApiResponse response, string name, string description, JsonSchemaType type = JsonSchemaType.String)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers[name] = new OpenApiHeader { Description = description, Required = true, Schema = new OpenApiSchema { Type = type } };
    }
}
