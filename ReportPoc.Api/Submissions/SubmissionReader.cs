using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Submissions;

/// <summary>The outcome of reading a submission: the request, or what is wrong with it and the status to answer.</summary>
public sealed record SubmissionRead(SubmitReportRequest? Request, IDictionary<string, string[]> Errors, int StatusCode)
{
    public bool IsValid => Request is not null;
}

/// <summary>
/// Reads and validates a POST body itself rather than through model binding, so every kind of bad input (broken
/// JSON, wrong types, unknown or repeated fields, oversized body, bad header) becomes a 4xx naming the problem in a
/// fixed text (never a .NET type or parser message), never a 500.
/// </summary>
public static class SubmissionReader
{
    // Exact, case-sensitive names and no repeated property: a gateway or log reader that takes the first value (or
    // another casing) must see the same request the Api processes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private static readonly HashSet<string> Fields = typeof(SubmitReportRequest).GetProperties()
        .Select(property => Json.PropertyNamingPolicy!.ConvertName(property.Name))
        .ToHashSet(StringComparer.Ordinal);

    private static readonly string FieldList = string.Join(", ", Fields);

    public static async Task<SubmissionRead> ReadAsync(HttpRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null && !ReportFieldLimits.IsValidIdempotencyKey(idempotencyKey))
        {
            return Invalid("Idempotency-Key", $"Use 1–{ReportFieldLimits.IdempotencyKeyMaxLength} printable ASCII characters without spaces.");
        }

        if (request.ContentLength > ReportFieldLimits.MaxBodyBytes)
        {
            return TooLarge();
        }

        if (!request.HasJsonContentType())
        {
            return new(null, new Dictionary<string, string[]> { ["Content-Type"] = ["Send application/json."] }, StatusCodes.Status415UnsupportedMediaType);
        }

        var bodySize = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (bodySize is { IsReadOnly: false })
        {
            bodySize.MaxRequestBodySize = ReportFieldLimits.MaxBodyBytes;
        }

        SubmitReportRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SubmitReportRequest>(request.Body, Json, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (JsonException exception)
        {
            // The parser's message names .NET types and positions (never the body's text): the trace keeps it, the client gets a fixed text.
            Activity.Current?.AddException(exception);
            return UnreadableJson(exception.Path);
        }

        if (body is null)
        {
            return Invalid("body", "Send a JSON object.");
        }

        var errors = SubmitReportRequest.Validate(body);
        return errors.Count == 0 ? new(body, errors, StatusCodes.Status200OK) : new(null, errors, StatusCodes.Status400BadRequest);
    }

    private static SubmissionRead Invalid(string field, string error) =>
        new(null, new Dictionary<string, string[]> { [field] = [error] }, StatusCodes.Status400BadRequest);

    private static SubmissionRead TooLarge() =>
        new(null, new Dictionary<string, string[]> { ["body"] = [$"At most {ReportFieldLimits.MaxBodyBytes} bytes."] }, StatusCodes.Status413PayloadTooLarge);

    private static SubmissionRead UnreadableJson(string? path)
    {
        var field = path?.TrimStart('$', '.') is { Length: > 0 } name ? name : null;
        return field switch
        {
            null => Invalid("body", $"Send one JSON object with the fields {FieldList}."),
            _ when Fields.Contains(field) => Invalid(field, "Give this field once, as a JSON string."),
            _ => Invalid(field, $"Not a field of this request (the fields are {FieldList}; names are case-sensitive)."),
        };
    }
}
