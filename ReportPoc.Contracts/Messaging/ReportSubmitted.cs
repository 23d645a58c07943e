using System.Text.Json;
using System.Text.Json.Serialization;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Contracts.Messaging;

/// <summary>The Kafka message the Api publishes for the async path (topic <see cref="KafkaTopics.Submitted"/>, key = report id).</summary>
public sealed record ReportSubmitted(
    Guid Id,
    string? IdempotencyKey,
    string ReporterId,
    string ReportType,
    string Period,
    string Title,
    string Content,
    DateTimeOffset AcceptedAt)
{
    public static ReportSubmitted From(Guid id, string? idempotencyKey, SubmitReportRequest request, DateTimeOffset acceptedAt) =>
        new(id, idempotencyKey, request.ReporterId!, request.ReportType!, request.Period!, request.Title!, request.Content!, acceptedAt);

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, ReportJsonContext.Default.ReportSubmitted);

    /// <summary>Reads a message body; null when it is not a well-formed ReportSubmitted (a poison message).</summary>
    public static ReportSubmitted? TryParse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var message = JsonSerializer.Deserialize(utf8Json, ReportJsonContext.Default.ReportSubmitted);
            return message is not null && message.Id != Guid.Empty && SubmitReportRequest.Validate(message.AsRequest()).Count == 0
                ? message
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public SubmitReportRequest AsRequest() => new(ReporterId, ReportType, Period, Title, Content);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportSubmitted))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
