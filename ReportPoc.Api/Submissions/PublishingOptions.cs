namespace ReportPoc.Api.Submissions;

/// <summary>
/// Configuration section <c>Publishing</c>: how long the async path waits for the broker. (How much the producer buffers
/// is librdkafka tuning: Aspire:Confluent:Kafka:Producer:Config:QueueBufferingMaxMessages in appsettings.json.)
/// </summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The longest a request waits for the broker's ack before answering 503.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>What a 503 tells the client to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
