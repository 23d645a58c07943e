using ReportPoc.DevBroker.MockCluster;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddDevKafkaCluster();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapBrokerApi();

app.Run();
