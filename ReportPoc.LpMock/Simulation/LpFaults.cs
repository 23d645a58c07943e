using Microsoft.Extensions.Options;

namespace ReportPoc.LpMock.Simulation;

/// <summary>
/// Injected faults. Defaults mean "no fault", so a request body that omits a field switches that fault off.
/// </summary>
/// <param name="ErrorRate">Fraction (0..1) of setQueue calls and LPRUN executions that fail with a transient 503.</param>
/// <param name="SlowdownFactor">Multiplies every latency (≥ 1).</param>
/// <param name="Outage">Every LP call answers 503 at once.</param>
public sealed record LpFaults(double ErrorRate = 0, double SlowdownFactor = 1, bool Outage = false)
{
    // An upper bound keeps a typo from parking requests for days.
    public const double MaxSlowdownFactor = 1000;

    public static readonly LpFaults None = new();

    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!(ErrorRate is >= 0 and <= 1))
        {
            errors["errorRate"] = ["errorRate must be between 0 and 1."];
        }

        if (!(SlowdownFactor is >= 1 and <= MaxSlowdownFactor))
        {
            errors["slowdownFactor"] = [$"slowdownFactor must be between 1 and {MaxSlowdownFactor}."];
        }

        return errors;
    }
}

/// <summary>The faults in force; read on every call, replaced as a whole by the admin endpoint.</summary>
public sealed class LpFaultSwitch(IOptions<LpOptions> options)
{
    private LpFaults _current = new(options.Value.ErrorRate, options.Value.SlowdownFactor);

    public LpFaults Current => Volatile.Read(ref _current);

    public void Set(LpFaults faults) => Volatile.Write(ref _current, faults);

    public void Heal() => Set(LpFaults.None);

    /// <summary>Rolls the dice for one unit of work against the current error rate.</summary>
    public bool ShouldFail()
    {
        var errorRate = Current.ErrorRate;
        return errorRate > 0 && Random.Shared.NextDouble() < errorRate;
    }
}
