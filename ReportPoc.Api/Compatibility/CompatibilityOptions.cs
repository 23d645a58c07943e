using System.ComponentModel.DataAnnotations;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Compatibility;

/// <summary>Configuration section <c>Compatibility</c> (the AppHost passes its own Compatibility:* through).</summary>
public sealed class CompatibilityOptions
{
    public const string Section = "Compatibility";

    /// <summary>The path of a client no operator has set one for: the as-is path, so nothing changes until someone decides.</summary>
    public ClientPath DefaultPath { get; set; } = ClientPath.Sync;

    /// <summary>How long the bridge waits for the outcome before it answers 202 with the status URL instead of 200.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BridgeWait { get; set; } = TimeSpan.FromSeconds(10);
}
