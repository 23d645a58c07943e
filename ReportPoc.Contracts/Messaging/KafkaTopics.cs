namespace ReportPoc.Contracts.Messaging;

/// <summary>The topics of the async path; both exist before any service starts (the AppHost sees to it).</summary>
public static class KafkaTopics
{
    /// <summary>One <see cref="ReportSubmitted"/> per accepted report, keyed by report id.</summary>
    public const string Submitted = "reports.submitted";

    /// <summary>Messages the processor will not or cannot process, with <see cref="DeadLetterHeaders"/> saying why.</summary>
    public const string DeadLetter = "reports.submitted.dlq";

    /// <summary>The processors' consumer group; the AppHost passes it to every service that needs it (<see cref="MessagingOptions"/>).</summary>
    public const string ProcessorConsumerGroup = "report-processor";
}

/// <summary>Headers the processor adds to a dead letter (the source message's own headers are kept).</summary>
public static class DeadLetterHeaders
{
    public const string Reason = "dlq-reason";
    public const string Error = "dlq-error";
    public const string Source = "dlq-source";
    public const string ConsumerGroup = "dlq-consumer-group";
}

/// <summary>Values of <see cref="DeadLetterHeaders.Reason"/>.</summary>
public static class DeadLetterReasons
{
    /// <summary>Not a valid ReportSubmitted message.</summary>
    public const string Poison = "poison";

    /// <summary>LP rejected the report on every allowed attempt.</summary>
    public const string Rejected = "rejected";

    /// <summary>Handling kept throwing an unexpected exception.</summary>
    public const string ProcessingError = "processing-error";

    /// <summary>An Idempotency-Key reused with a different request body.</summary>
    public const string IdempotencyConflict = "idempotency-conflict";
}
