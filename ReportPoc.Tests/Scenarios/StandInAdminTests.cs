using System.Net.Http.Json;
using System.Text.Json;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// The stand-ins' controls, as the AppHost wires them: a caller without the AppHost's generated secret (the
/// stand-in-admin-key parameter) cannot reset LP's ledger, fault LP or take the broker down — 401, nothing changed —
/// while the suite's own calls and the dashboard commands, which carry it, work (every fault test uses them).
/// </summary>
public sealed class StandInAdminTests(ReportPocApp system)
{
    [Fact]
    public async Task ACallerWithoutTheKeyCannotResetFaultOrStopAnything()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var accepted = await system.Api.SubmitAsyncReportAsync();
        Assert.Equal(ReportStatus.Completed, (await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, TimeSpan.FromMinutes(1))).Status);
        using var lp = system.App.CreateHttpClient(ResourceNames.LpMock);
        using var broker = system.App.CreateHttpClient(ResourceNames.DevBroker);

        using var reset = await lp.PostAsync("/lp/admin/reset", null, cancellation);
        using var outage = await lp.PutAsJsonAsync("/lp/admin/faults", new LpFaults(Outage: true), cancellation);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/broker/down");
        wrongKey.Headers.Add(StandInAdmin.KeyHeader, "guessed");
        using var down = await broker.SendAsync(wrongKey, cancellation);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (reset.StatusCode, outage.StatusCode, down.StatusCode));
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(accepted.Id)); // the ledger is intact
        Assert.False((await system.Lp.GetFromJsonAsync<LpFaults>("/lp/admin/faults", cancellation))!.Outage);
        using var keyed = system.StandInClient(ResourceNames.DevBroker);
        var state = await keyed.GetFromJsonAsync<JsonElement>("/broker/", cancellation);
        Assert.Equal("up", state.GetProperty("state").GetString());
    }
}
