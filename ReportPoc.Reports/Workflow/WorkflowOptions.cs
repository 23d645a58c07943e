using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Reports.Workflow;

/// <summary>Configuration section <c>Workflow</c>: the timing rules of the LPRUN claim and the run lookup.</summary>
public sealed class WorkflowOptions
{
    public const string Section = "Workflow";

    /// <summary>
    /// How long a claim protects LPRUN when LP knows of no live run for it. The claimant calls LPRUN right after
    /// claiming, and LP registers a run on receipt, so within this time "no run" may still mean "in transit". Must be
    /// well above LpClient:ConnectTimeout. After it, another worker may take the claim over and call LPRUN.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RunClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait between run lookups while LP says the run is running; doubles up to <see cref="RunLookupMaxInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.01", "00:01:00")]
    public TimeSpan RunLookupInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00.01", "00:05:00")]
    public TimeSpan RunLookupMaxInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one attempt follows a run that LP keeps reporting as running. After it the attempt ends as
    /// "LP unavailable" (not counted): the report is retried later, and the metric shows the stall.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RunLookupTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
