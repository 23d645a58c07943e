using System.ComponentModel.DataAnnotations;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.LpMock.Simulation;

/// <summary>The LP system's behaviour profile, from configuration section "Lp" (e.g. env var <c>Lp__LpRunLatencyMs=50</c>).</summary>
public sealed class LpOptions
{
    public const string Section = "Lp";

    /// <summary>Typical duration of a setQueue call.</summary>
    [Range(0, 600_000)]
    public int SetQueueLatencyMs { get; set; } = LpProfile.Default.SetQueueLatencyMs;

    /// <summary>Typical duration of one LPRUN execution, excluding the wait for capacity.</summary>
    [Range(0, 600_000)]
    public int LpRunLatencyMs { get; set; } = LpProfile.Default.LpRunLatencyMs;

    /// <summary>Each latency is drawn uniformly from ±this fraction around its typical value.</summary>
    [Range(0.0, 1.0)]
    public double JitterRatio { get; set; } = LpProfile.Default.JitterRatio;

    /// <summary>How many LPRUN executions LP performs at once at start-up; the rest wait their turn.</summary>
    [Range(1, LpCapacity.Max)]
    public int Capacity { get; set; } = LpProfile.DefaultCapacity;

    /// <summary>The fault profile at start-up; the admin endpoint changes it at run time.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    [Range(1.0, LpFaults.MaxSlowdownFactor)]
    public double SlowdownFactor { get; set; } = 1;

    [Range(0.0, 1.0)]
    public double RejectRate { get; set; }

    [Range(0.0, 1.0)]
    public double GatewayErrorRate { get; set; }

    public LpProfile Profile => new(SetQueueLatencyMs, LpRunLatencyMs, JitterRatio);
}
