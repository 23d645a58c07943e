namespace ReportPoc.Evidence.Inputs;

/// <summary>The README's dashboard pictures (scripts/screenshots.sh makes them); the report links them, it does not make them.</summary>
public sealed record Screenshots(string Directory)
{
    public const string SyncTrace = "dashboard-sync-trace.png";
    public const string AsyncTrace = "dashboard-async-trace.png";

    /// <summary>The picture's path, or null when it is not there.</summary>
    public string? Find(string fileName) => Path.Combine(Directory, fileName) is var path && File.Exists(path) ? path : null;
}
