using ReportPoc.Contracts.Lp;

namespace ReportPoc.Contracts.Operations;

/// <summary>Accepted reports waiting in Kafka for the processors: end offsets minus the group's committed offsets.</summary>
public sealed record Backlog(string Topic, string ConsumerGroup, long Messages);

/// <summary>GET /api/system: what the page's side panel shows; a part is null when it cannot be reached.</summary>
public sealed record SystemStatus(LpStats? Lp, Backlog? Backlog);
