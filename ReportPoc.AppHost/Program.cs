using ReportPoc.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers, local processes or external services, whichever this machine offers (see README).
var infrastructure = builder.AddInfrastructure();
var kafka = builder.AddReportsKafka("kafka", infrastructure);
var reportsDb = builder.AddReportsDatabase("reports", infrastructure);
var statusTokenKey = builder.AddParameter("status-token-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

// The stand-in for the LP reporting system, with the latency/capacity/fault profile from configuration "Lp".
var lp = builder.AddProject<Projects.ReportPoc_LpMock>("lpmock")
    .WithLpProfile(builder.Configuration.GetSection("Lp"))
    .WithLpFaultCommands();

// To-be path, consumer side: Kafka → the four steps in the background.
builder.AddProject<Projects.ReportPoc_Processor>("processor")
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(reportsDb).WaitFor(reportsDb)
    .WithReference(lp).WaitFor(lp)
    .WithReplicas(builder.Configuration.GetValue("Processor:Replicas", 1));

// The Api: the as-is sync path, the to-be async path (producer), status queries and the browser page.
builder.AddProject<Projects.ReportPoc_Api>("api")
    .WithReference(kafka).WaitFor(kafka)
    .WithReference(reportsDb).WaitFor(reportsDb)
    .WithReference(lp).WaitFor(lp)
    .WithEnvironment("StatusTokenKey", statusTokenKey)
    .WithExternalHttpEndpoints();

builder.Build().Run();
