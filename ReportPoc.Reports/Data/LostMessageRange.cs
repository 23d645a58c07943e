namespace ReportPoc.Reports.Data;

/// <summary>
/// Offsets of a partition that were gone from the log before a processor read them (retention, or the dev broker's
/// size limit): recorded by the processor that found the gap, read by the Api's /api/system with the reports they held.
/// </summary>
public sealed class LostMessageRange
{
    public long Id { get; set; }
    public required string Topic { get; set; }
    public int Partition { get; set; }

    /// <summary>The first lost offset.</summary>
    public long FromOffset { get; set; }

    /// <summary>The first offset after the gap (the log's start when it was found).</summary>
    public long ToOffset { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
    public required string InstanceId { get; set; }
}
