namespace ReportPoc.Reports.Data;

/// <summary>
/// Every committed INSERT or UPDATE of a report row is announced on a PostgreSQL notification channel by a trigger
/// (migration ReportChangeTrigger), whichever path wrote it: the payload is the report's id. PostgreSQL delivers
/// a notification when its transaction commits, so a listener that then reads the row sees what was committed.
/// </summary>
public static class ReportChangeNotifications
{
    public const string Channel = "report_changed";

    /// <summary>Every committed change of a client's path (table client_paths, migration ClientPaths); the payload is the client id.</summary>
    public const string ClientPathChannel = "client_path_changed";
}
