using ReportPoc.AppHost.Infrastructure;

namespace ReportPoc.Benchmark.Hosting;

/// <summary>
/// One AppHost start of the comparison: the LP stand-in's capacity and how many processor instances the pool may
/// run. Instances start at one and are added through the pool's dashboard command, so one start measures them all.
/// </summary>
public sealed record SystemConfiguration(string Name, int MaxInstances, int? LpCapacity = null)
{
    /// <summary>LP capacity far above what the processors can fill, so the processors themselves are the bottleneck.</summary>
    public const int UnboundedLpCapacity = 1000;

    public bool LpBound => LpCapacity is null;

    /// <summary>AppHost configuration overrides; everything else comes from ReportPoc.AppHost/appsettings.json.</summary>
    public string[] AppHostArgs =>
    [
        // Local infrastructure (in-memory dev broker, local PostgreSQL) on free ports, beside anything already running.
        "Infrastructure:Mode=local",
        "Infrastructure:DevBrokerPort=0",
        "Processor:Replicas=1",
        $"Processor:MaxReplicas={MaxInstances}",
        .. LpCapacity is { } capacity ? [$"Lp:Capacity={capacity}"] : Array.Empty<string>(),
        .. Overrides,
    ];

    /// <summary>Further AppHost settings a measurement varies (e.g. Telemetry:MaxTracesPerSecond=0).</summary>
    public string[] Overrides { get; init; } = [];

    /// <summary>
    /// For a start that floods the accept path (closed-loop levels, the overload, hey): local mode's in-memory broker holds
    /// at most 5 MB of unread reports per partition (about 10,000 each), and with the bound in force the Api refuses (503)
    /// every submission beyond it — a limit of the dev broker, not of the accept path, which a real broker does not have.
    /// Lifted, the dev broker drops the oldest unread reports instead; nothing measured in such a start reads them.
    /// </summary>
    public const string DevBrokerBoundLifted = $"{ReportsKafkaExtensions.DevBrokerBoundKey}=false";

    /// <summary>The default LP profile (capacity 8): LP is the bottleneck.</summary>
    public static SystemConfiguration LpBoundWith(int maxInstances) => new("LP-bound", maxInstances);

    public static SystemConfiguration LpUnbounded(int maxInstances) => new($"LP capacity {UnboundedLpCapacity}", maxInstances, UnboundedLpCapacity);
}
