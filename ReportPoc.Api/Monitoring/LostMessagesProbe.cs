using Microsoft.EntityFrameworkCore;
using ReportPoc.Contracts.Operations;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Monitoring;

/// <summary>
/// The reconciliation of a loss: the gaps the processors recorded (lost_message_ranges), joined with the accepted-messages
/// ledger on partition and offset, less the reports that are stored (processed through another message of theirs).
/// </summary>
public sealed class LostMessagesProbe(ReportsDbContext db)
{
    public const int MaxListed = 100;

    public async Task<LostMessages> MeasureAsync(CancellationToken cancellationToken)
    {
        var gaps = await db.LostMessageRanges.AsNoTracking().OrderBy(gap => gap.DetectedAt)
            .Select(gap => new LostMessageGap(gap.Partition, gap.FromOffset, gap.ToOffset, gap.DetectedAt, gap.InstanceId))
            .ToListAsync(cancellationToken);
        if (gaps.Count == 0)
        {
            return new LostMessages(0, [], 0, []);
        }

        var lost = db.AcceptedMessages.AsNoTracking()
            .Where(accepted => db.LostMessageRanges.Any(gap => gap.Partition == accepted.Partition && gap.FromOffset <= accepted.Offset && accepted.Offset < gap.ToOffset))
            .Where(accepted => !db.Reports.Any(report => report.Id == accepted.ReportId));
        var count = await lost.CountAsync(cancellationToken);
        var ids = await lost.OrderBy(accepted => accepted.AcceptedAt).Select(accepted => accepted.ReportId).Take(MaxListed).ToListAsync(cancellationToken);
        return new LostMessages(gaps.Sum(gap => gap.ToOffset - gap.FromOffset), gaps, count, ids);
    }
}
