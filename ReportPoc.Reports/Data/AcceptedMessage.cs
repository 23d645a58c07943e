namespace ReportPoc.Reports.Data;

/// <summary>
/// Where the broker put an accepted report's message (from the producer's delivery report): the Api records it after
/// the 202, so that a range of offsets lost from the log names the reports it held (docs/design.md, "No silent loss").
/// </summary>
public sealed class AcceptedMessage
{
    public Guid ReportId { get; set; }
    public int Partition { get; set; }
    public long Offset { get; set; }
    public DateTimeOffset AcceptedAt { get; set; }
}
