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
/// JSON, wrong types, unknown fields, oversized body, bad header) becomes a 4xx naming the problem, never a 500.
/// </summary>
public static class SubmissionReader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
    };

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
            var field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "body" : exception.Path.TrimStart('$', '.');
            return Invalid(field, "Not valid JSON for this field: " + FirstSentence(exception.Message));
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

    // System.Text.Json appends the path and position after the first sentence; the field name already says that.
    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.') + ".";
}
