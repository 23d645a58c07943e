namespace ReportPoc.Contracts.Reports;

/// <summary>
/// The event stream of one report (GET /api/reports/{id}/events?token=…): unnamed events carry a ReportView, with the
/// row's version as the event id; the heartbeat event carries nothing and keeps an idle stream alive.
/// </summary>
public static class ReportStreamEvents
{
    public const string Heartbeat = "heartbeat";
}
