using ReportPoc.Api;
using ReportPoc.Api.Apis;
using ReportPoc.Api.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseClientRateLimiting();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapOpenApi();
app.MapApiReference();
app.MapDefaultEndpoints();
app.MapReportsApi(listRecentReports: app.Configuration.GetValue<bool>(ReportsApi.ListRecentReportsSwitch));
app.MapReportEventsApi();
app.MapCompatibilityApi();
app.MapReportLimitsApi();
if (app.Environment.IsDevelopment() || app.Configuration.GetValue<bool>(SystemApi.PublicSwitch))
{
    app.MapSystemApi();
}

app.MapBaselineApi();
if (app.Environment.IsDevelopment())
{
    app.MapAsIsServerApi(); // the collateral benchmark's emulation of the as-is thread-per-request server, never deployed
}

app.Run();
