using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ReportPoc.Api.Submissions;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// The "recent reports" list and the as-is server emulation are demo and development features. The list shows every
/// reporter's reports with working status URLs, so it is mapped only when a demo switches it on (Demo:ListRecentReports),
/// in any environment, Development included; without it GET on its path is 405 (only POST, the async submission, lives
/// there). The Api runs in-process with connection strings that point nowhere: the list either exists (and the
/// unreachable database answers 503) or it does not.
/// </summary>
public sealed class EnvironmentEndpointsTests
{
    [Theory]
    [InlineData("Development", null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("Development", "false", HttpStatusCode.MethodNotAllowed)]
    [InlineData("Development", "true", HttpStatusCode.ServiceUnavailable)]
    [InlineData("Production", null, HttpStatusCode.MethodNotAllowed)]
    [InlineData("Production", "true", HttpStatusCode.ServiceUnavailable)]
    public async Task TheRecentReportsListExistsOnlyWhenADemoSwitchesItOn(string environment, string? listRecentReports, HttpStatusCode expected)
    {
        await using var api = ApiIn(environment, listRecentReports);
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/api/reports", TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.MethodNotAllowed)
        {
            Assert.DoesNotContain(HttpMethod.Get.Method, response.Content.Headers.Allow);
        }
    }

    /// <summary>The collateral benchmark's thread-per-request emulation answers /api/as-is/alive in Development only.</summary>
    [Theory]
    [InlineData("Development", HttpStatusCode.OK)]
    [InlineData("Production", HttpStatusCode.NotFound)]
    public async Task TheAsIsServerEmulationExistsOnlyInDevelopment(string environment, HttpStatusCode expected)
    {
        await using var api = ApiIn(environment);
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/api/as-is/alive", TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    // Any type of the Api's assembly names its entry point (Program is ambiguous: LpMock has one too).
    private static WebApplicationFactory<StatusTokens> ApiIn(string environment, string? listRecentReports = null) => new WebApplicationFactory<StatusTokens>().WithWebHostBuilder(host => (listRecentReports is null ? host : host.UseSetting("Demo:ListRecentReports", listRecentReports))
        .UseEnvironment(environment)
        .UseSetting("ConnectionStrings:kafka", "127.0.0.1:1")
        .UseSetting("ConnectionStrings:reports", "Host=127.0.0.1;Port=1;Database=reports;Timeout=1")
        .UseSetting("StatusTokens:Key", new string('k', 32))
        .UseSetting("Messaging:ConsumerGroup", "report-processor"));
}
