using ReportPoc.AppHost.Dashboard;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Chaos;
using ReportPoc.Contracts;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers, local processes or external services, whichever this machine offers (see README).
var infrastructure = builder.AddInfrastructure();
var kafka = builder.AddReportsKafka(ResourceNames.Kafka, infrastructure);
var reportsDb = builder.AddReportsDatabase(ResourceNames.ReportsDatabase, infrastructure);
var statusTokenKey = builder.AddParameter("status-token-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

// The schema's one owner: applies the EF Core migrations and exits before any service uses the database.
var migrations = builder.AddProject<Projects.ReportPoc_DatabaseMigrations>(ResourceNames.DatabaseMigrations)
    .WithReference(reportsDb).WaitFor(reportsDb);

// The stand-in for the LP reporting system, with the latency/capacity/fault profile from configuration "Lp"; never
// published: a deployment points the services at the real LP (parameter lp-url, Infrastructure/LpSystem.cs).
var lp = builder.AddProject<Projects.ReportPoc_LpMock>(ResourceNames.LpMock)
    .WithSettings(builder.Configuration.GetSection("Lp"))
    .WithHttpHealthCheck("/health")
    .WithStandInAdminKey() // its /lp/admin/* answers only the AppHost's commands, the chaos drill and the tests
    .WithLpFaultCommands()
    .WithLpCapacityCommands(builder.Configuration.GetValue("Lp:Capacity", 8)) // 8: the stand-in's own default
    .WithStatsLink()
    .ExcludeFromManifest();

// To-be path, consumer side: Kafka → the four steps in the background.
var processor = builder.AddProject<Projects.ReportPoc_Processor>(ResourceNames.Processor)
    .WithReference(kafka).WaitFor(kafka)
    .WithConsumerGroup()
    .WithDevBrokerFetchWait(infrastructure)
    .WithReference(reportsDb).WaitForCompletion(migrations)
    .WithLp(lp)
    .WithHttpHealthCheck("/health")
    .WithCrashCommand()
    .WithFreezeCommands();

// Processor instances added and removed at run time, from the dashboard.
builder.AddProcessorPool(ResourceNames.ProcessorPool, processor,
    builder.Configuration.GetValue("Processor:Replicas", 1), builder.Configuration.GetValue("Processor:MaxReplicas", 6));

// The Api: the as-is sync path, the to-be async path (producer), status queries and the browser page.
var api = builder.AddProject<Projects.ReportPoc_Api>(ResourceNames.Api)
    .WithReference(kafka).WaitFor(kafka)
    .WithConsumerGroup()
    .WithDevBrokerBound(infrastructure)
    .WithReference(reportsDb).WaitForCompletion(migrations)
    .WithLp(lp)
    .WithEnvironment("StatusTokens__Key", statusTokenKey)
    .WithSettings(builder.Configuration.GetSection("RateLimiting"))
    .WithSettings(builder.Configuration.GetSection("ReportEvents"))
    .WithSettings(builder.Configuration.GetSection("Compatibility"))
    .WithClientPathCommand(reportsDb)
    .WithSettings(builder.Configuration.GetSection("Demo")) // Demo:ListRecentReports, off unless a demo asks for it
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints()
    .WithPageLinks();

// Telemetry:TraceSampleRatio (1.0) and Telemetry:MaxTracesPerSecond (20) for every service: what sampling costs and buys.
builder.WithTelemetrySettingsForEveryService();

// Run by hand from the dashboard: the chaos drill (processors killed, removed and added, LP failing and down, PostgreSQL
// crashed, broker blips, then an audit of every report) and a short benchmark of this running system.
builder.AddChaosDrill(ResourceNames.Chaos, api, lp, kafka, StandInAdminAccess.KeyOf(builder));
builder.AddBenchmark(ResourceNames.Benchmark, api);

builder.Build().Run();
