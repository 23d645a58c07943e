namespace ReportPoc.Contracts;

/// <summary>
/// The AppHost's own dashboard commands, by name. A person clicks them; the chaos drill and the tests run the same
/// commands through Aspire's ResourceCommandService, so they must agree with the AppHost on the names.
/// </summary>
public static class ResourceCommandNames
{
    /// <summary>On every processor instance and the local PostgreSQL: kill -9, no graceful shutdown.</summary>
    public const string Crash = "crash";

    /// <summary>On every processor instance: stop the process with SIGSTOP (it holds what it holds), and let it continue.</summary>
    public const string Freeze = "freeze";

    public const string Thaw = "thaw";

    /// <summary>On <see cref="ResourceNames.ProcessorPool"/>: start one more processor instance.</summary>
    public const string AddInstance = "add-instance";

    /// <summary>On <see cref="ResourceNames.ProcessorPool"/>: stop the newest running instance gracefully.</summary>
    public const string RemoveInstance = "remove-instance";

    /// <summary>On <see cref="ResourceNames.DevBroker"/> (local mode): take the broker down, and bring it back.</summary>
    public const string BrokerDown = "broker-down";

    public const string BrokerUp = "broker-up";

    /// <summary>
    /// On <see cref="ResourceNames.DevBroker"/> (local mode): take one broker of the three down (broker 1: it leads a third of
    /// the partitions and coordinates the processors' group, so both move), and bring it back (it leads its partitions again).
    /// </summary>
    public const string OneBrokerDown = "one-broker-down";

    public const string OneBrokerUp = "one-broker-up";

    /// <summary>On <see cref="ResourceNames.Api"/>: set which path serves one client of the compatibility endpoint.</summary>
    public const string SetClientPath = "set-client-path";

    /// <summary>On <see cref="ResourceNames.Chaos"/>: run the chaos drill.</summary>
    public const string RunChaos = "run-chaos";
}
