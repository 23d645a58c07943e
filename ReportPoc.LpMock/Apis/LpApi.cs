using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.LpMock.Apis;

public static class LpApi
{
    public static IEndpointRouteBuilder MapLpApi(this IEndpointRouteBuilder app)
    {
        var lp = app.MapGroup("/lp").WithTags("LP");

        lp.MapPost("/set-queue", SetQueueAsync)
            .WithSummary("setQueue: assigns the report its queue id (the same one again on a repeat).");
        lp.MapPost("/run", RunAsync)
            .WithSummary("LPRUN: runs the report, waiting for capacity; a repeat shares the first run's result.");
        lp.MapGet("/runs/{reportId:guid}", GetRun)
            .WithSummary("Reconciliation lookup of a report's LPRUN; not counted as an LPRUN call.");
        lp.MapGet("/ledger/{reportId:guid}", GetLedgerEntry)
            .WithSummary("How often LP was called for a report, and what it answered.");
        lp.MapGet("/stats", GetStats)
            .WithSummary("Call counts, duplicates, failures and LPRUN concurrency since start or the last reset.");

        var admin = lp.MapGroup("/admin").WithTags("LP admin");
        admin.MapGet("/faults", GetFaults)
            .WithSummary("The injected faults in force.");
        admin.MapPut("/faults", PutFaults)
            .WithSummary("Replaces the injected faults; an omitted field means no fault of that kind.");
        admin.MapPost("/heal", Heal)
            .WithSummary("Removes every injected fault.");
        admin.MapPost("/reset", Reset)
            .WithSummary("Forgets every report and zeroes the statistics (for tests).");

        return app;
    }

    public static async Task<Results<Ok<QueueTicket>, ValidationProblem, ProblemHttpResult>> SetQueueAsync(
        SetQueueRequest request, LpSystem lp, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        RequireReportId(request.ReportId, errors);
        Require("reportType", request.ReportType, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var call = await lp.SetQueueAsync(request.ReportId, cancellationToken);
        return call.Status == LpCallStatus.Succeeded ? TypedResults.Ok(call.Value) : ProblemFor(call);
    }

    public static async Task<Results<Ok<RunTicket>, ValidationProblem, ProblemHttpResult>> RunAsync(
        RunRequest request, LpSystem lp, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        RequireReportId(request.ReportId, errors);
        Require("queueId", request.QueueId, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var call = await lp.RunAsync(request.ReportId, request.QueueId!, cancellationToken);
        return call.Status == LpCallStatus.Succeeded ? TypedResults.Ok(call.Value) : ProblemFor(call);
    }

    public static Results<Ok<RunStatus>, NotFound, ProblemHttpResult> GetRun(Guid reportId, LpSystem lp)
    {
        var call = lp.FindRun(reportId);
        return call.Status switch
        {
            LpCallStatus.Succeeded => TypedResults.Ok(call.Value),
            LpCallStatus.NotFound => TypedResults.NotFound(),
            _ => ProblemFor(call),
        };
    }

    public static Results<Ok<LedgerEntry>, NotFound> GetLedgerEntry(Guid reportId, ReportLedger ledger) =>
        ledger.Find(reportId) is { } record ? TypedResults.Ok(record.Snapshot()) : TypedResults.NotFound();

    public static Ok<LpStats> GetStats(LpStatistics statistics, LpFaultSwitch faults, IOptions<LpOptions> options) =>
        TypedResults.Ok(LpStats.From(statistics.Snapshot(), faults.Current, LpProfile.From(options.Value)));

    public static Ok<LpFaults> GetFaults(LpFaultSwitch faults) => TypedResults.Ok(faults.Current);

    public static Results<Ok<LpFaults>, ValidationProblem> PutFaults(LpFaults faults, LpFaultSwitch faultSwitch)
    {
        var errors = faults.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        faultSwitch.Set(faults);
        return TypedResults.Ok(faults);
    }

    public static Ok<LpFaults> Heal(LpFaultSwitch faults)
    {
        faults.Heal();
        return TypedResults.Ok(faults.Current);
    }

    public static NoContent Reset(LpSystem lp)
    {
        lp.Reset();
        return TypedResults.NoContent();
    }

    private static void RequireReportId(Guid reportId, Dictionary<string, string[]> errors)
    {
        if (reportId == Guid.Empty)
        {
            errors["reportId"] = ["reportId must be a non-empty GUID."];
        }
    }

    private static void Require(string name, string? value, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[name] = [$"{name} is required."];
        }
    }

    private static ProblemHttpResult ProblemFor<T>(LpCall<T> call) => call.Status switch
    {
        LpCallStatus.Conflict => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status409Conflict,
            title: "The report is not queued for this run."),
        _ => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "LP is unavailable."),
    };
}
