using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Api.Submissions;

/// <summary>
/// Configuration section <c>Publishing</c>: how long the async path waits for the broker. (How much the producer buffers
/// is librdkafka tuning: Aspire:Confluent:Kafka:Producer:Config:QueueBufferingMaxMessages in appsettings.json.)
/// </summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The longest a request waits for the broker's ack before answering 503 (librdkafka's message.timeout.ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>What a 503 tells the client to wait before retrying.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// With an Idempotency-Key, how long the async path may look for a stored report with that key's id (to answer a
    /// repeat or a 422 at once). Short: accepting must not wait for the database; when it cannot tell, the processor does.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.01", "00:00:10")]
    public TimeSpan StoredReportLookupTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Local mode only (the AppHost sets it; 0 = no bound): the bytes of unread messages a partition may hold. The dev
    /// broker (librdkafka's mock cluster) keeps at most 5 MiB or 100,000 batches per partition and silently drops the
    /// oldest beyond that, read or not; past this bound the async path answers 503 instead (BrokerLogCapacity).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long PartitionLogBytes { get; set; }

    /// <summary>Local mode only, with <see cref="PartitionLogBytes"/>: the unread messages a partition may hold.</summary>
    [Range(0, long.MaxValue)]
    public long PartitionLogMessages { get; set; }
}
