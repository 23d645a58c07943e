using System.Text.Json.Serialization;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Contracts.Operations;

/// <summary>Accepted reports waiting in Kafka for the processors: end offsets minus the group's committed offsets.</summary>
/// <param name="Partitions">The topic's partition count: at most this many instances share the work.</param>
public sealed record Backlog(string Topic, string ConsumerGroup, long Messages, int Partitions);

/// <summary>One processor instance as it last reported itself (it does so every second or so).</summary>
/// <param name="MaxInFlight">How many reports the instance works on at once at most (its Processing:MaxInFlight).</param>
public sealed record ProcessorInstanceStatus(
    string InstanceId,
    DateTimeOffset StartedAt,
    DateTimeOffset SeenAt,
    IReadOnlyList<int> Partitions,
    int InFlight,
    int MaxInFlight,
    long Completed,
    string? PausedFor,
    DateTimeOffset? PausedSince,
    string? PauseReason);

/// <summary>Reports completed (by either path) in one second.</summary>
public sealed record ThroughputSample(DateTimeOffset Second, int Completed);

/// <summary>The processors have paused: which dependency is unavailable, since when, and how many reports wait for it.</summary>
public sealed record ProcessingPause(string Dependency, DateTimeOffset Since, string Reason, long Waiting);

/// <summary>
/// What decides the processors' throughput right now, so a person knows whether adding an instance raises the curve.
/// Judged by the Api from LP's slots, the instances' work in flight and the partition count (ProcessingProbe).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Bottleneck>))]
public enum Bottleneck
{
    /// <summary>Nothing is saturated: the processors keep up with what is submitted, and the curve follows demand.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>A dependency is unavailable and the processors have paused (see <see cref="ProcessingStatus.Pause"/>).</summary>
    [JsonStringEnumMemberName("paused")] Paused,

    /// <summary>No processor instance runs: accepted reports wait in Kafka.</summary>
    [JsonStringEnumMemberName("no-processors")] NoProcessors,

    /// <summary>LP runs at its capacity with runs waiting for a slot: another instance would only wait for LP too.</summary>
    [JsonStringEnumMemberName("lp")] Lp,

    /// <summary>Every instance works at its in-flight limit while LP has room: another instance raises the curve.</summary>
    [JsonStringEnumMemberName("processors")] Processors,

    /// <summary>
    /// LP has room, yet the processors get through their reports slower than LP could: reports wait in Kafka while
    /// the instances leave slots empty, or most reports in flight are outside LP (CPU, database). Another instance on
    /// the same cores would not raise the curve; more cores would.
    /// </summary>
    [JsonStringEnumMemberName("machine")] Machine,

    /// <summary>
    /// Every instance that owns a partition works at its limit, and every partition has its own instance already: an
    /// instance beyond the partition count would own none, so the partition count caps the consumers.
    /// </summary>
    [JsonStringEnumMemberName("partitions")] Partitions,
}

/// <summary>The processors as a whole: who runs and owns what, what they completed lately, whether they wait, and what limits them.</summary>
public sealed record ProcessingStatus(
    IReadOnlyList<ProcessorInstanceStatus> Instances,
    IReadOnlyList<ThroughputSample> CompletedPerSecond,
    ProcessingPause? Pause,
    Bottleneck Bottleneck);

/// <summary>Offsets [FromOffset, ToOffset) of a partition of reports.submitted that left the log before a processor read them.</summary>
public sealed record LostMessageGap(int Partition, long FromOffset, long ToOffset, DateTimeOffset DetectedAt, string InstanceId);

/// <summary>
/// Messages lost from the log, found by the processors, and the accepted reports they held (from the accepted-messages
/// ledger, without a stored report): those reports will never be processed. Empty when nothing was lost.
/// </summary>
/// <param name="ReportIds">Up to 100 of the lost reports' ids.</param>
public sealed record LostMessages(long Messages, IReadOnlyList<LostMessageGap> Gaps, int Reports, IReadOnlyList<Guid> ReportIds);

/// <summary>
/// Local mode's dev broker bound: the unread bytes and messages a partition may hold before the async path answers 503
/// (the in-memory broker would drop the oldest beyond that), and how full the fullest partition is.
/// </summary>
/// <param name="Refused">Submissions refused at the bound since the Api started.</param>
public sealed record BrokerLogBound(long PartitionLimitBytes, long PartitionLimitMessages, int FullestPartition, long FullestPartitionBytes,
    long FullestPartitionMessages, long Refused);

/// <summary>GET /api/system: what the page's side panels show; a part is null when it cannot be reached.</summary>
/// <param name="BrokerLog">Null with a real broker, whose retention is configured by its operator.</param>
public sealed record SystemStatus(LpStats? Lp, Backlog? Backlog, ProcessingStatus? Processing, LostMessages? Lost = null, BrokerLogBound? BrokerLog = null);
