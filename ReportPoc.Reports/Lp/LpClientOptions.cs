using System.ComponentModel.DataAnnotations;
using ReportPoc.Contracts;

namespace ReportPoc.Reports.Lp;

/// <summary>Configuration section <c>LpClient</c>: where LP is and how long its calls may take.</summary>
public sealed class LpClientOptions
{
    public const string Section = "LpClient";

    /// <summary>Resolved by service discovery from the AppHost's reference to the LP resource.</summary>
    [Required]
    public Uri BaseAddress { get; set; } = new($"http://{ResourceNames.LpMock}");

    /// <summary>
    /// Short, so an unreachable LP is known at once; it also bounds how late a sent LPRUN can reach LP, which the
    /// workflow's claim lease relies on.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>setQueue, the run lookup, the status probe.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>LPRUN waits for a capacity slot when LP is saturated: minutes are normal, and cutting it short gains nothing.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Transport retries for reads (lookup, status, stats). Calls that change LP are never retried by the transport.</summary>
    [Range(0, 10)]
    public int ReadRetries { get; set; } = 2;
}
