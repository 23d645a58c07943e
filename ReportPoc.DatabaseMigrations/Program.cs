using ReportPoc.DatabaseMigrations;
using ReportPoc.Reports;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddReportsDatabase();
builder.Services.AddHostedService<DatabaseMigrator>();

builder.Build().Run();
