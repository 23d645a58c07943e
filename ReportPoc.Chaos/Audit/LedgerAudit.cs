using System.Collections.Concurrent;
using ReportPoc.Chaos.Faults;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Chaos.Audit;

/// <summary>What LP's ledger says of the drill's reports: which it refused, and which it ran more than once.</summary>
internal sealed record LedgerFindings(IReadOnlySet<Guid> Rejected, IReadOnlySet<Guid> RunMoreThanOnce);

internal static class LedgerAudit
{
    private const int ReadsAtOnce = 8;

    public static async Task<LedgerFindings> ReadAsync(LpAdmin lp, IReadOnlyCollection<Guid> reports, CancellationToken cancellationToken)
    {
        var entries = new ConcurrentBag<LedgerEntry>();
        await Parallel.ForEachAsync(reports, new ParallelOptions { MaxDegreeOfParallelism = ReadsAtOnce, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                if (await lp.LedgerAsync(id, token) is { } entry)
                {
                    entries.Add(entry);
                }
            });

        return new LedgerFindings(
            entries.Where(entry => entry.Rejections > 0).Select(entry => entry.ReportId).ToHashSet(),
            entries.Where(entry => entry.DuplicateRunExecutions > 0).Select(entry => entry.ReportId).ToHashSet());
    }
}
