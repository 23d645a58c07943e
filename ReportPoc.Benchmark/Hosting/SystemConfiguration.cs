namespace ReportPoc.Benchmark.Hosting;

/// <summary>One AppHost configuration the comparison starts: processor replicas and the LP stand-in's capacity.</summary>
public sealed record SystemConfiguration(string Name, int Replicas, int? LpCapacity = null)
{
    /// <summary>AppHost configuration overrides; everything else comes from ReportPoc.AppHost/appsettings.json.</summary>
    public string[] AppHostArgs =>
    [
        // Local infrastructure (in-memory dev broker, local PostgreSQL) on free ports, beside anything already running.
        "Infrastructure:Mode=local",
        "Infrastructure:DevBrokerPort=0",
        $"Processor:Replicas={Replicas}",
        .. LpCapacity is { } capacity ? [$"Lp:Capacity={capacity}"] : Array.Empty<string>(),
        .. Overrides,
    ];

    /// <summary>Further AppHost settings a measurement varies (e.g. Telemetry:TraceSampleRatio=0.1).</summary>
    public string[] Overrides { get; init; } = [];

    public static SystemConfiguration LpBound(int replicas) => new($"LP-bound, {replicas} replica{(replicas > 1 ? "s" : "")}", replicas);

    /// <summary>LP capacity far above what the processors can use, so the processors themselves are the bottleneck.</summary>
    public static SystemConfiguration LpUnbounded(int replicas) => new($"LP capacity 1000, {replicas} replica{(replicas > 1 ? "s" : "")}", replicas, 1000);
}
