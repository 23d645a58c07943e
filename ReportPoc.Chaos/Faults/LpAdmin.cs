using System.Net;
using System.Net.Http.Json;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Chaos.Faults;

/// <summary>The LP stand-in's admin and ledger API: the faults in force, its counters, and what it did per report.</summary>
internal sealed class LpAdmin(HttpClient lp)
{
    public async Task SetFaultsAsync(LpFaults faults, CancellationToken cancellationToken)
    {
        using var response = await lp.PutAsJsonAsync("/lp/admin/faults", faults, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Removes every fault, whatever the drill's cancellation says: a drill must never leave LP broken.</summary>
    public async Task HealAsync()
    {
        using var response = await lp.PostAsync("/lp/admin/heal", null, CancellationToken.None);
        response.EnsureSuccessStatusCode();
    }

    public async Task<LpStats> StatsAsync(CancellationToken cancellationToken) =>
        await lp.GetFromJsonAsync<LpStats>("/lp/stats", cancellationToken) ?? throw new InvalidOperationException("LP sent no stats.");

    /// <summary>LP's books for one report, or null when LP never heard of it.</summary>
    public async Task<LedgerEntry?> LedgerAsync(Guid reportId, CancellationToken cancellationToken)
    {
        using var response = await lp.GetAsync($"/lp/ledger/{reportId}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<LedgerEntry>(cancellationToken);
    }
}
