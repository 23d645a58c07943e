namespace ReportPoc.Contracts.Reports;

/// <summary>
/// The fixed texts a client is told about a report that went wrong (the sync path's 502 <c>detail</c>, a report's
/// <c>lastError</c>). What actually happened — LP's answer, an exception's type and message, hosts and ports — is for
/// operators: it stays in the report's row, the logs and the trace (its id is in the report).
/// </summary>
public static class ReportErrors
{
    public const string SyncLpFailed =
        "LP did not complete the report, so it is marked Failed (its status URL shows it). Submit it again with a new Idempotency-Key to try again.";

    public const string SyncNotFinished =
        "The report was not finished and is kept as it is: follow its status URL, or send it again with the same Idempotency-Key (on either endpoint) to continue it.";

    public const string Rejected =
        "LP refused the report and it is not tried again. Check its fields, then submit it again with a new Idempotency-Key.";

    public const string NotProcessed =
        "The report could not be processed and was set aside for the operators; quote its id or trace id.";

    public const string RejectedRetrying = "LP refused the report; it is tried again.";

    public const string NotAuthenticated = "Submitting needs an authenticated reporter.";

    public const string OtherReporter = "The reporterId is not the authenticated reporter; a request can only submit as its own reporter.";

    public const string Waiting = "Waiting: a service the report needs is unavailable; it is retried automatically.";
}
