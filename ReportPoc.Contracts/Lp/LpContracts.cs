using System.Text.Json.Serialization;

namespace ReportPoc.Contracts.Lp;

public sealed record SetQueueRequest(Guid ReportId, string? ReportType);

/// <param name="FencingToken">
/// The caller's claim sequence number: LP refuses a call whose token is lower than one it has seen for the report, so a
/// holder whose claim was taken over (a paused process) cannot run the report a second time.
/// </param>
public sealed record RunRequest(Guid ReportId, string? QueueId, long? FencingToken = null);

/// <summary>
/// LP's own error answers are ProblemDetails with this extension naming what LP decided. An answer without it (a
/// gateway's 502/504, a proxy's 401/403/404) is not LP's word: it proves nothing about the call.
/// </summary>
public static class LpErrors
{
    public const string Extension = "lpError";

    /// <summary>LP refuses the report itself.</summary>
    public const string Rejected = "rejected";

    /// <summary>LP refuses the request as malformed.</summary>
    public const string Invalid = "invalid";

    /// <summary>LP does not know the queue id (it lost its state).</summary>
    public const string UnknownQueue = "unknown-queue";

    /// <summary>LPRUN carried a fencing token older than one LP has seen for the report: nothing ran.</summary>
    public const string StaleClaim = "stale-claim";

    /// <summary>LP did not take the call (outage, transient failure); nothing ran.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The run lookup: LP has no LPRUN for the report.</summary>
    public const string NoRun = "no-run";
}

/// <param name="Duplicate">The report was queued before; LP answered with the same queue id.</param>
public sealed record QueueTicket(Guid ReportId, string QueueId, bool Duplicate);

/// <param name="Duplicate">The report already had a run; this call executed a second one (LP counts it).</param>
public sealed record RunTicket(Guid ReportId, string RunId, int Pages, bool Duplicate);

[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
}

/// <summary>LP's answer to the run lookup: the report's latest LPRUN execution.</summary>
public sealed record RunStatus(Guid ReportId, RunState State, string? RunId, int? Pages, int Executions);

/// <summary>What LP did for one report: the calls it got and the runs it executed.</summary>
/// <param name="LostRunAnswers">LPRUN calls for the report whose connection a cut way to LP dropped while LP ran them.</param>
/// <param name="UnreachableRunCalls">LPRUN calls for the report that the cut way to LP answered itself; LP never saw them.</param>
/// <param name="LateRunCalls">LPRUN calls for the report that a stalled gateway delivered to LP late (<see cref="LpFaults.FirstRunDelay"/>).</param>
public sealed record LedgerEntry(
    Guid ReportId,
    int SetQueueCalls,
    int RunCalls,
    int RunExecutions,
    int DuplicateSetQueueCalls,
    int DuplicateRunExecutions,
    int Rejections,
    int StaleClaimRefusals,
    string? QueueId,
    string? RunId,
    DateTimeOffset? FirstRunAt,
    DateTimeOffset? LastRunAt,
    int LostRunAnswers = 0,
    int UnreachableRunCalls = 0,
    int LateRunCalls = 0);

/// <summary>
/// Injected faults. Defaults mean "no fault", so a request body that omits a field switches that fault off.
/// </summary>
/// <param name="ErrorRate">Fraction (0..1) of setQueue calls and LPRUN executions that fail with a transient 503.</param>
/// <param name="SlowdownFactor">Multiplies every latency (≥ 1).</param>
/// <param name="Outage">Every LP call answers 503 at once.</param>
/// <param name="RejectRate">
/// Fraction (0..1) of reports LP refuses for good: setQueue answers 422 naming the report, on every attempt. Which
/// reports is decided by their id, so a retry of a refused report is refused again.
/// </param>
/// <param name="GatewayErrorRate">
/// Fraction (0..1) of LPRUN calls a gateway in front of LP answers with 502 or 504 (a body that is not LP's) while the
/// run goes on in LP behind it: the caller cannot tell whether LP runs the report.
/// </param>
/// <param name="Unreachable">
/// The way to LP is cut (a gateway or a link down) while LP itself goes on: every call is answered 503 by the gateway,
/// without LP's error body; an LPRUN call waiting for its run loses its connection, and the run finishes behind the cut.
/// Unlike <paramref name="Outage"/>, which takes LP's runs down with it.
/// </param>
/// <param name="FirstRunDelay">
/// A gateway that stalls: it answers each report's first LPRUN call with its own 504 at once, and delivers the call to
/// LP only this long afterwards (null: no stall). Later calls for the report pass at once. What the LPRUN claim's
/// fencing token is for: a call LP sees after the claim was taken over must not run the report again.
/// </param>
public sealed record LpFaults(double ErrorRate = 0, double SlowdownFactor = 1, bool Outage = false, double RejectRate = 0, double GatewayErrorRate = 0,
    bool Unreachable = false, TimeSpan? FirstRunDelay = null)
{
    // An upper bound keeps a typo from parking requests for days.
    public const double MaxSlowdownFactor = 1000;

    public static readonly TimeSpan MaxFirstRunDelay = TimeSpan.FromMinutes(10);

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

        if (!(RejectRate is >= 0 and <= 1))
        {
            errors["rejectRate"] = ["rejectRate must be between 0 and 1."];
        }

        if (!(GatewayErrorRate is >= 0 and <= 1))
        {
            errors["gatewayErrorRate"] = ["gatewayErrorRate must be between 0 and 1."];
        }

        if (FirstRunDelay is { } delay && (delay < TimeSpan.Zero || delay > MaxFirstRunDelay))
        {
            errors["firstRunDelay"] = [$"firstRunDelay must be between 00:00:00 and {MaxFirstRunDelay:c}."];
        }

        return errors;
    }
}

/// <summary>The body of PUT /lp/admin/capacity: how many LPRUN executions LP performs at once from now on.</summary>
public sealed record LpCapacity(int Capacity)
{
    public const int Max = 10_000;
}

/// <summary>LP's latency profile as configured (Lp:* settings of the AppHost).</summary>
public sealed record LpProfile(int SetQueueLatencyMs, int LpRunLatencyMs, double JitterRatio)
{
    /// <summary>The stand-in's profile when nothing is configured: the LP system the PoC's verdicts are stated for.</summary>
    public static readonly LpProfile Default = new(SetQueueLatencyMs: 100, LpRunLatencyMs: 1000, JitterRatio: 0.2);

    /// <summary>LPRUN executions at once when nothing is configured.</summary>
    public const int DefaultCapacity = 8;
}

/// <summary>GET /lp/stats: LP's counters since start or the last reset, its capacity, faults and profile.</summary>
public sealed record LpStats
{
    public required int Capacity { get; init; }
    public required int InFlightRuns { get; init; }
    public required int WaitingRuns { get; init; }
    public required int PeakConcurrentRuns { get; init; }
    public required long SetQueueCalls { get; init; }
    public required long RunCalls { get; init; }
    public required long RunExecutions { get; init; }
    public required long DuplicateSetQueueCalls { get; init; }

    /// <summary>LPRUN executions for a report whose earlier run was running or had completed: never expected.</summary>
    public required long DuplicateRunExecutions { get; init; }

    /// <summary>setQueue/LPRUN calls answered 503 (outage or injected transient error).</summary>
    public required long FailedCalls { get; init; }

    /// <summary>setQueue calls answered 422: LP refused the report itself.</summary>
    public required long RejectedCalls { get; init; }

    public required long ConflictCalls { get; init; }

    /// <summary>LPRUN calls the gateway fault answered with its own 502/504 while LP ran them.</summary>
    public long GatewayErrors { get; init; }

    /// <summary>Calls the cut way to LP answered itself (<see cref="LpFaults.Unreachable"/>): LP never saw them.</summary>
    public long UnreachableCalls { get; init; }

    /// <summary>LPRUN calls whose connection the cut dropped while LP ran them: the caller cannot know the run's fate.</summary>
    public long LostRunAnswers { get; init; }

    /// <summary>LPRUN calls refused because their fencing token was older than one LP had seen for the report.</summary>
    public long StaleClaimRefusals { get; init; }
    public required long CompletedRuns { get; init; }
    public required LpFaults Faults { get; init; }
    public required LpProfile Profile { get; init; }

    /// <summary>Only LPRUN holds a capacity slot, so LP finishes at most capacity ÷ LPRUN latency reports a second.</summary>
    [JsonIgnore]
    public double LimitPerSecond => Profile.LpRunLatencyMs == 0 ? double.PositiveInfinity : Capacity * 1000.0 / Profile.LpRunLatencyMs;
}
