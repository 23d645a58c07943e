using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportPoc.Api.Submissions;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// With identity configured (Identity:RequireAuthenticatedReporter and an authentication scheme, here a test scheme
/// that reads the reporter from a header), a request cannot submit as another reporter: 403 with a fixed text on every
/// submission endpoint, 401 without an authenticated reporter. Without it (the development setup) the body's reporterId
/// is the reporter. The Api runs in-process with its database and broker unreachable: a request that passes the
/// identity check gets as far as the database (sync path: 503), one refused never does. Answers are checked against
/// the OpenAPI document.
/// </summary>
public sealed class ReporterIdentityTests
{
    private const string ReporterHeader = "Test-Reporter";

    [Theory]
    [InlineData("/api/reports/sync")]
    [InlineData("/api/reports")]
    [InlineData("/api/reports/compat")]
    public async Task AnAuthenticatedReporterCannotSubmitAsAnother(string path)
    {
        await using var api = ApiWith(identityConfigured: true);
        using var client = await ClientAsync(api);

        using var answer = await client.SendAsync(Submit(path, bodyReporter: "mallory", authenticatedAs: "alice"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal(ReportErrors.OtherReporter, (await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task WithoutAnAuthenticatedReporterASubmissionIs401()
    {
        await using var api = ApiWith(identityConfigured: true);
        using var client = await ClientAsync(api);

        using var answer = await client.SendAsync(Submit("/api/reports/sync", bodyReporter: "alice", authenticatedAs: null), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Theory]
    [InlineData(true, "alice")]  // identity configured: its own reporter passes
    [InlineData(false, null)]    // the development setup: the body's field is the reporter
    public async Task TheReporterItMayActAsGetsPastTheCheck(bool identityConfigured, string? authenticatedAs)
    {
        await using var api = ApiWith(identityConfigured);
        using var client = await ClientAsync(api);

        using var answer = await client.SendAsync(Submit("/api/reports/sync", bodyReporter: "alice", authenticatedAs), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode); // the unreachable database, reached only past the check
    }

    private static HttpRequestMessage Submit(string path, string bodyReporter, string? authenticatedAs)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(
                $$"""{"reporterId":"{{bodyReporter}}","reportType":"monthly","period":"2026-11","title":"T","content":"C"}""", Encoding.UTF8, "application/json"),
        };
        if (authenticatedAs is not null)
        {
            request.Headers.Add(ReporterHeader, authenticatedAs);
        }

        return request;
    }

    private static async Task<HttpClient> ClientAsync(WebApplicationFactory<StatusTokens> api)
    {
        using var plain = api.CreateClient();
        var document = await plain.GetFromJsonAsync<JsonElement>("/openapi/v1.json", TestContext.Current.CancellationToken);
        return new HttpClient(new OpenApiConformance(document) { InnerHandler = api.Server.CreateHandler() }) { BaseAddress = api.Server.BaseAddress };
    }

    private static WebApplicationFactory<StatusTokens> ApiWith(bool identityConfigured) => new WebApplicationFactory<StatusTokens>().WithWebHostBuilder(host =>
    {
        host.UseEnvironment("Development")
            .UseSetting("ConnectionStrings:kafka", "127.0.0.1:1")
            .UseSetting("ConnectionStrings:reports", "Host=127.0.0.1;Port=1;Database=reports;Timeout=1")
            .UseSetting("StatusTokens:Key", new string('k', 32))
            .UseSetting("Messaging:ConsumerGroup", "report-processor");
        if (identityConfigured)
        {
            host.UseSetting("Identity:RequireAuthenticatedReporter", "true")
                .ConfigureTestServices(services => services.AddAuthentication(HeaderReporterScheme.Name)
                    .AddScheme<AuthenticationSchemeOptions, HeaderReporterScheme>(HeaderReporterScheme.Name, null));
        }
    });

    /// <summary>A stand-in for the existing system's scheme: the reporter the header names, with the claim IReporterIdentity reads.</summary>
    private sealed class HeaderReporterScheme(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string Name = "TestReporter";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(Request.Headers[ReporterHeader].ToString() is { Length: > 0 } reporter
                ? AuthenticateResult.Success(new AuthenticationTicket(
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim("reporter_id", reporter)], Name)), Name))
                : AuthenticateResult.NoResult());
    }
}
