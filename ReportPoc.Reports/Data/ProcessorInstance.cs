namespace ReportPoc.Reports.Data;

/// <summary>
/// One running processor instance as it last reported itself (every second or so): the partitions it owns, its
/// work in flight, and whether it has paused for an unavailable dependency. The Api shows these on the page.
/// </summary>
public sealed class ProcessorInstance
{
    public required string InstanceId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset SeenAt { get; set; }
    public int[] Partitions { get; set; } = [];
    public int InFlight { get; set; }

    /// <summary>The instance's Processing:MaxInFlight: at this many reports in flight it takes no more.</summary>
    public int MaxInFlight { get; set; }

    public long Completed { get; set; }

    /// <summary>The dependency the instance waits for (e.g. "LP"), or null while it takes work.</summary>
    public string? PausedFor { get; set; }

    public DateTimeOffset? PausedSince { get; set; }
    public string? PauseReason { get; set; }
}
