using ReportPoc.Contracts.Reports;

namespace ReportPoc.Reports.Data;

/// <summary>
/// The path an operator set for one client (a reporter id) of the compatibility endpoint; a client without a row is
/// served on the configured default. A trigger announces every change on <see cref="ReportChangeNotifications.ClientPathChannel"/>.
/// </summary>
public sealed class ClientPathSetting
{
    public required string ClientId { get; set; }
    public ClientPath Path { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
