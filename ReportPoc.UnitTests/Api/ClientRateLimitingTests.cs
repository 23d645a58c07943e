using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using ReportPoc.Api.Infrastructure;
using ReportPoc.Api.Submissions;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// The Api's own pipeline in-process (its dependencies point nowhere: nothing here reaches them). Every request is
/// refused before any work — an invalid body (400) or a forged token (404) — so only the limiter decides what is 429.
/// A bucket holds <see cref="Burst"/> and refills one a second: a client that got a new bucket per request would
/// never see a 429 in a loop of <see cref="Loop"/>.
/// </summary>
public sealed class ClientRateLimitingTests
{
    private const int Burst = 3;
    private const int Loop = 20;
    private static readonly IPAddress Client = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task SpoofedForwardedForHeadersFromAnUntrustedSenderDoNotBuyNewBuckets()
    {
        await using var api = Api(trustedProxies: "10.0.0.0/8");

        var statuses = await LoopAsync(api, i => Submission(Client, forwardedFor: $"198.51.100.{i}"));

        Assert.Contains(StatusCodes.Status429TooManyRequests, statuses);
    }

    [Fact]
    public async Task NoSenderIsTrustedByDefaultNotLoopbackAndNotWhenTheHostEnablesForwardedHeaders()
    {
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED on its own would trust the header from every sender, and the
        // middleware's defaults trust loopback (where the AppHost's proxy connects from).
        await using var api = Api(trustedProxies: null, forwardedHeadersEnabled: true);

        var statuses = await LoopAsync(api, i => Submission(IPAddress.Loopback, forwardedFor: $"198.51.100.{i}"));

        Assert.Contains(StatusCodes.Status429TooManyRequests, statuses);
    }

    [Fact]
    public async Task BehindATrustedProxyEachForwardedClientHasABucketOfItsOwnAndWhatItWroteItselfIsIgnored()
    {
        await using var api = Api(trustedProxies: "10.0.0.5");

        // The proxy appends the address it saw; the client's own entry before it must not name the bucket.
        var distinct = await LoopAsync(api, i => Submission(IPAddress.Parse("10.0.0.5"), forwardedFor: $"192.0.2.1, 198.51.100.{i}"));
        var oneClient = await LoopAsync(api, i => Submission(IPAddress.Parse("10.0.0.5"), forwardedFor: $"192.0.2.{i}, 198.51.100.250"));

        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, distinct);
        Assert.Contains(StatusCodes.Status429TooManyRequests, oneClient);
    }

    [Fact]
    public async Task AnIPv6ClientIsBucketedByItsSlash64()
    {
        await using var api = Api(trustedProxies: null);

        var sameNetwork = await LoopAsync(api, i => Submission(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"), forwardedFor: null));
        var otherNetworks = await LoopAsync(api, i => Submission(IPAddress.Parse($"2001:db8:1:{i + 100:x}::1"), forwardedFor: null));

        Assert.Contains(StatusCodes.Status429TooManyRequests, sameNetwork);
        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, otherNetworks);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    public void AClientIsItsIPv4AddressOrItsIPv6Slash64(string address, string client) =>
        Assert.Equal(client, SubmissionRateLimiting.ClientOf(IPAddress.Parse(address)));

    [Fact]
    public async Task ReadsHaveABudgetOfTheirOwn()
    {
        await using var api = Api(trustedProxies: null);

        var reads = await LoopAsync(api, _ => Read(Client));
        var submission = await SendAsync(api, Submission(Client, forwardedFor: null));

        Assert.Contains(StatusCodes.Status429TooManyRequests, reads);
        Assert.Equal(StatusCodes.Status400BadRequest, submission);
    }

    [Fact]
    public async Task HealthProbesAreNotLimited()
    {
        await using var api = Api(trustedProxies: null);

        var probes = await LoopAsync(api, _ => context =>
        {
            context.Request.Path = "/alive";
            context.Connection.RemoteIpAddress = Client;
        });

        Assert.DoesNotContain(StatusCodes.Status429TooManyRequests, probes);
    }

    private static async Task<List<int>> LoopAsync(WebApplicationFactory<StatusTokens> api, Func<int, Action<HttpContext>> request)
    {
        var statuses = new List<int>();
        for (var i = 0; i < Loop; i++)
        {
            statuses.Add(await SendAsync(api, request(i)));
        }

        return statuses;
    }

    private static async Task<int> SendAsync(WebApplicationFactory<StatusTokens> api, Action<HttpContext> request) =>
        (await api.Server.SendAsync(request, TestContext.Current.CancellationToken)).Response.StatusCode;

    private static Action<HttpContext> Submission(IPAddress remote, string? forwardedFor) => context =>
    {
        context.Request.Method = HttpMethods.Post;
        context.Request.Path = "/api/reports";
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("{}"));
        context.Connection.RemoteIpAddress = remote;
        if (forwardedFor is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }
    };

    private static Action<HttpContext> Read(IPAddress remote) => context =>
    {
        context.Request.Path = $"/api/reports/{Guid.NewGuid()}";
        context.Request.QueryString = new QueryString("?token=1.0.AAAAAAAAAAA.c.forged");
        context.Connection.RemoteIpAddress = remote;
    };

    private static WebApplicationFactory<StatusTokens> Api(string? trustedProxies, bool forwardedHeadersEnabled = false) =>
        new WebApplicationFactory<StatusTokens>().WithWebHostBuilder(host =>
    {
        host.UseEnvironment("Production")
            .UseSetting("ConnectionStrings:kafka", "127.0.0.1:1")
            .UseSetting("ConnectionStrings:reports", "Host=127.0.0.1;Port=1;Database=reports;Timeout=1")
            .UseSetting("StatusTokens:Key", new string('k', 32))
            .UseSetting("Messaging:ConsumerGroup", "report-processor")
            .UseSetting("RateLimiting:SubmissionsPerSecond", "1")
            .UseSetting("RateLimiting:Burst", Burst.ToString())
            .UseSetting("RateLimiting:ReadsPerSecond", "1")
            .UseSetting("RateLimiting:ReadBurst", Burst.ToString());
        if (forwardedHeadersEnabled)
        {
            host.UseSetting("FORWARDEDHEADERS_ENABLED", "true");
        }

        if (trustedProxies is not null)
        {
            host.UseSetting("RateLimiting:TrustedProxies:0", trustedProxies);
        }
    });
}
