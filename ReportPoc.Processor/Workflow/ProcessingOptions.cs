namespace ReportPoc.Processor.Workflow;

/// <summary>Configuration section <c>Processing</c>.</summary>
public sealed class ProcessingOptions
{
    public const string Section = "Processing";

    public string ConsumerGroup { get; set; } = "report-processor";

    /// <summary>Reports worked on at once by one instance; not tied to the partition count (order is kept per key).</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Attempts for a report whose LP calls keep failing transiently, before it is Failed and dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long in-flight reports may take to finish before they are handed back uncommitted.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
