using System.Text.Json;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>Reads the LP stand-in's ledger: how often LP was really called for a report.</summary>
public static class LpLedger
{
    public static async Task<(int SetQueueCalls, int RunCalls)> CallsForAsync(this HttpClient lp, Guid reportId)
    {
        using var response = await lp.GetAsync($"/lp/ledger/{reportId}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (0, 0);
        }

        var ledger = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (ledger.GetProperty("setQueueCalls").GetInt32(), ledger.GetProperty("runCalls").GetInt32());
    }
}
