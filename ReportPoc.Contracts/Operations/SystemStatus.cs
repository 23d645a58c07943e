using ReportPoc.Contracts.Lp;

namespace ReportPoc.Contracts.Operations;

/// <summary>Accepted reports waiting in Kafka for the processors: end offsets minus the group's committed offsets.</summary>
public sealed record Backlog(string Topic, string ConsumerGroup, long Messages);

/// <summary>One processor instance as it last reported itself (it does so every second or so).</summary>
public sealed record ProcessorInstanceStatus(
    string InstanceId,
    DateTimeOffset StartedAt,
    DateTimeOffset SeenAt,
    IReadOnlyList<int> Partitions,
    int InFlight,
    long Completed,
    string? PausedFor,
    DateTimeOffset? PausedSince,
    string? PauseReason);

/// <summary>Reports completed (by either path) in one second.</summary>
public sealed record ThroughputSample(DateTimeOffset Second, int Completed);

/// <summary>The processors have paused: which dependency is unavailable, since when, and how many reports wait for it.</summary>
public sealed record ProcessingPause(string Dependency, DateTimeOffset Since, string Reason, long Waiting);

/// <summary>The processors as a whole: who runs and owns what, what they completed lately, and whether they wait.</summary>
public sealed record ProcessingStatus(
    IReadOnlyList<ProcessorInstanceStatus> Instances,
    IReadOnlyList<ThroughputSample> CompletedPerSecond,
    ProcessingPause? Pause);

/// <summary>GET /api/system: what the page's side panel shows; a part is null when it cannot be reached.</summary>
public sealed record SystemStatus(LpStats? Lp, Backlog? Backlog, ProcessingStatus? Processing);
