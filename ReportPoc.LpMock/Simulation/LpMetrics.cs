using System.Diagnostics.Metrics;

namespace ReportPoc.LpMock.Simulation;

public enum LpOperation
{
    SetQueue,
    Run,
    RunLookup,
}

/// <summary>How an LP call ended, as tagged on the lp.calls counter.</summary>
public enum CallOutcome
{
    Ok,
    Duplicate,
    Failed,
    Outage,
    Rejected,
    Conflict,
    NotFound,
    Abandoned,
}

/// <summary>OpenTelemetry-ready instruments of the meter "ReportPoc.LpMock".</summary>
public sealed class LpMetrics
{
    public const string MeterName = "ReportPoc.LpMock";

    private readonly Counter<long> _calls;
    private readonly Histogram<double> _runDuration;

    public LpMetrics(IMeterFactory meterFactory, LpStatistics statistics, RunCapacity capacity)
    {
        var meter = meterFactory.Create(MeterName);
        _calls = meter.CreateCounter<long>("lp.calls", "{call}", "LP calls by operation and outcome.");
        _runDuration = meter.CreateHistogram("lp.run.duration", "s",
            "Duration of an LPRUN execution, including its wait for capacity.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20, 40] });
        meter.CreateObservableGauge("lp.runs.in_flight", () => statistics.InFlightRuns, "{run}",
            "LPRUN executions holding a capacity slot.");
        meter.CreateObservableGauge("lp.runs.waiting", () => statistics.WaitingRuns, "{run}",
            "LPRUN executions waiting for a capacity slot.");
        meter.CreateObservableGauge("lp.runs.capacity", () => capacity.Capacity, "{run}",
            "LPRUN executions LP performs at once (changed at run time by PUT /lp/admin/capacity).");
    }

    public void Call(LpOperation operation, CallOutcome outcome) =>
        _calls.Add(1,
            new KeyValuePair<string, object?>("lp.operation", TagOf(operation)),
            new KeyValuePair<string, object?>("lp.outcome", TagOf(outcome)));

    public void RunFinished(TimeSpan duration, bool succeeded) =>
        _runDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("lp.outcome", succeeded ? "ok" : "failed"));

    private static string TagOf(LpOperation operation) => operation switch
    {
        LpOperation.SetQueue => "set_queue",
        LpOperation.Run => "run",
        _ => "run_lookup",
    };

    private static string TagOf(CallOutcome outcome) => outcome switch
    {
        CallOutcome.NotFound => "not_found",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}
