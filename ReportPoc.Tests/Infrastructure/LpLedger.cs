using ReportPoc.Contracts.Lp;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>Reads the LP stand-in's books: how often LP was really called for a report, and what it executed.</summary>
public static class LpLedger
{
    public static async Task<LedgerEntry?> LedgerForAsync(this HttpClient lp, Guid reportId)
    {
        using var response = await lp.GetAsync($"/lp/ledger/{reportId}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<LedgerEntry>(TestContext.Current.CancellationToken);
    }

    /// <summary>(setQueue calls, LPRUN executions) for the report; (0, 0) when LP never heard of it.</summary>
    public static async Task<(int SetQueueCalls, int RunExecutions)> CallsForAsync(this HttpClient lp, Guid reportId) =>
        await lp.LedgerForAsync(reportId) is { } entry ? (entry.SetQueueCalls, entry.RunExecutions) : (0, 0);

    public static async Task<LpStats> StatsAsync(this HttpClient lp) =>
        (await lp.GetFromJsonAsync<LpStats>("/lp/stats", TestContext.Current.CancellationToken))!;

    public static async Task SetFaultsAsync(this HttpClient lp, LpFaults faults)
    {
        using var response = await lp.PutAsJsonAsync("/lp/admin/faults", faults, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Heals LP whatever the test's cancellation says: a test must never leave a fault behind for the next one.</summary>
    public static async Task HealAsync(this HttpClient lp)
    {
        using var response = await lp.PostAsync("/lp/admin/heal", null, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }
}
