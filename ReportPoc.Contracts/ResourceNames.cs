namespace ReportPoc.Contracts;

/// <summary>
/// The AppHost's resource names. Services find each other through them (service discovery, connection strings),
/// so the AppHost, the services, the tests and the tools must agree on them.
/// </summary>
public static class ResourceNames
{
    public const string Infrastructure = "infrastructure";
    public const string Kafka = "kafka";
    public const string DevBroker = "kafka-dev-broker";
    public const string Postgres = "postgres";

    /// <summary>The application database; services read ConnectionStrings:reports.</summary>
    public const string ReportsDatabase = "reports";

    public const string DatabaseMigrations = "database-migrations";
    public const string LpMock = "lpmock";
    public const string Processor = "processor";

    /// <summary>The processor's instances as one dashboard resource, with the commands that add or remove one.</summary>
    public const string ProcessorPool = "processor-pool";
    public const string Api = "api";
    public const string Chaos = "chaos";
    public const string Benchmark = "benchmark";
}
