using ReportPoc.LpMock.Simulation;

namespace ReportPoc.LpMock.Apis;

public sealed record SetQueueRequest(Guid ReportId, string? ReportType);

public sealed record RunRequest(Guid ReportId, string? QueueId);

public sealed record LpProfile(int SetQueueLatencyMs, int LpRunLatencyMs, double JitterRatio, int Capacity)
{
    public static LpProfile From(LpOptions options) =>
        new(options.SetQueueLatencyMs, options.LpRunLatencyMs, options.JitterRatio, options.Capacity);
}

public sealed record LpStats(
    int Capacity,
    int InFlightRuns,
    int WaitingRuns,
    int PeakConcurrentRuns,
    long SetQueueCalls,
    long RunCalls,
    long DuplicateSetQueueCalls,
    long DuplicateRunCalls,
    long FailedCalls,
    long ConflictCalls,
    long CompletedRuns,
    LpFaults Faults,
    LpProfile Profile)
{
    public static LpStats From(LpCounters counters, LpFaults faults, LpProfile profile) => new(
        profile.Capacity,
        counters.InFlightRuns,
        counters.WaitingRuns,
        counters.PeakConcurrentRuns,
        counters.SetQueueCalls,
        counters.RunCalls,
        counters.DuplicateSetQueueCalls,
        counters.DuplicateRunCalls,
        counters.FailedCalls,
        counters.ConflictCalls,
        counters.CompletedRuns,
        faults,
        profile);
}
