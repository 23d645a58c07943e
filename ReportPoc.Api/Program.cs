using ReportPoc.Api;
using ReportPoc.Api.Apis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapOpenApi();
app.MapApiReference();
app.MapDefaultEndpoints();
app.MapReportsApi(listRecentReports: app.Environment.IsDevelopment());
app.MapReportEventsApi();
app.MapCompatibilityApi();
app.MapReportLimitsApi();
app.MapSystemApi();
app.MapBaselineApi();
if (app.Environment.IsDevelopment())
{
    app.MapAsIsServerApi(); // the collateral benchmark's emulation of the as-is thread-per-request server, never deployed
}

app.Run();
