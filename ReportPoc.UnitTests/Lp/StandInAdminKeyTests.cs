using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.UnitTests.Lp;

/// <summary>
/// LpMock's admin controls (faults, capacity, reset) answer only the AppHost's shared secret: without it, or with
/// another, a call is 401 and changes nothing (the faults and the ledger stay as they were); a stand-in started
/// without a key has no open controls (403). LpMock runs in-process.
/// </summary>
public sealed class StandInAdminKeyTests
{
    private const string Key = "the-apphosts-generated-secret-0123456789";

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("the-apphosts-generated-secret-012345678")] // a prefix of the key
    public async Task AResetWithoutTheKeyIs401AndTheLedgerStays(string? givenKey)
    {
        await using var lp = LpWith(Key);
        using var client = lp.CreateClient();
        var reportId = Guid.NewGuid();
        (await client.PostAsJsonAsync("/lp/set-queue", new SetQueueRequest(reportId, "monthly"), Cancellation)).EnsureSuccessStatusCode();

        using var reset = await client.SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Post, "/lp/admin/reset"), givenKey), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, reset.StatusCode);
        var ledger = await client.GetFromJsonAsync<LedgerEntry>($"/lp/ledger/{reportId}", Cancellation);
        Assert.Equal(1, ledger!.SetQueueCalls);
    }

    [Fact]
    public async Task AFaultWithoutTheKeyIs401AndLpStaysAvailable()
    {
        await using var lp = LpWith(Key);
        using var client = lp.CreateClient();

        using var outage = await client.PutAsJsonAsync("/lp/admin/faults", new LpFaults(Outage: true), Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, outage.StatusCode);
        using var status = await client.GetAsync("/lp/status", Cancellation);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [Fact]
    public async Task WithTheKeyTheControlsWork()
    {
        await using var lp = LpWith(Key);
        using var client = lp.CreateClient();
        var put = new HttpRequestMessage(HttpMethod.Put, "/lp/admin/faults") { Content = JsonContent.Create(new LpFaults(Outage: true)) };

        using var outage = await client.SendAsync(WithKey(put, Key), Cancellation);

        Assert.Equal(HttpStatusCode.OK, outage.StatusCode);
        using var status = await client.GetAsync("/lp/status", Cancellation);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
    }

    [Fact]
    public async Task WithoutAConfiguredKeyEveryControlIsRefused()
    {
        await using var lp = LpWith(null);
        using var client = lp.CreateClient();

        using var reset = await client.SendAsync(WithKey(new HttpRequestMessage(HttpMethod.Post, "/lp/admin/reset"), ""), Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static HttpRequestMessage WithKey(HttpRequestMessage request, string? key)
    {
        if (key is not null)
        {
            request.Headers.Add(StandInAdmin.KeyHeader, key);
        }

        return request;
    }

    // Any type of LpMock's assembly names its entry point (Program is ambiguous: the Api has one too).
    private static WebApplicationFactory<LpSystem> LpWith(string? key) => new WebApplicationFactory<LpSystem>().WithWebHostBuilder(host =>
    {
        host.UseSetting("Lp:SetQueueLatencyMs", "0");
        if (key is not null)
        {
            host.UseSetting(StandInAdmin.KeySetting, key);
        }
    });
}
