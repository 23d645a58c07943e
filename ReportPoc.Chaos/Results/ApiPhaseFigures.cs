namespace ReportPoc.Chaos.Results;

/// <summary>The phases of a drill the Api's answers are compared across: before any fault, and each kind of fault.</summary>
public static class DrillPhases
{
    public const string Calm = "calm";
    public const string ProcessorFaults = "processor-faults"; // kills, a graceful remove and add, a freeze
    public const string BrokerOutage = "broker-outage";
    public const string LpOutage = "lp-outage";
    public const string DatabaseOutage = "database-outage";
}

/// <summary>
/// The Api's answers to the drill's submissions sent during one phase: every attempt (a retry is a request of its own),
/// the attempts not answered as designed (no answer within the client's timeout, or a status other than 202 or a 503
/// with Retry-After), the designed refusals (503 with Retry-After: nothing accepted, the client told when to retry), and
/// the time to the answer, over all attempts.
/// </summary>
public sealed record ApiPhaseFigures(string Phase, long Requests, long Errors, long Refused, double P50Ms, double P99Ms);
