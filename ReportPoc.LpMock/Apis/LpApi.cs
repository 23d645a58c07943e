using Microsoft.AspNetCore.Http.HttpResults;
using ReportPoc.Contracts.Lp;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.LpMock.Apis;

public static class LpApi
{
    public static IEndpointRouteBuilder MapLpApi(this IEndpointRouteBuilder app)
    {
        var lp = app.MapGroup("/lp").WithTags("LP");

        lp.MapGet("/status", GetStatus).AddEndpointFilter(ThroughTheWayToLp)
            .WithSummary("Whether LP takes work: 200, or 503 during an outage. What a caller probes before resuming.");
        lp.MapPost("/set-queue", SetQueueAsync).AddEndpointFilter(ThroughTheWayToLp)
            .WithSummary("setQueue: assigns the report its queue id (the same one again on a repeat); 422 when LP refuses the report.");
        lp.MapPost("/run", RunAsync).AddEndpointFilter(ThroughTheWayToLp)
            .WithSummary("LPRUN: runs the report, waiting for capacity. A repeat is executed again and counted as a duplicate.");
        lp.MapGet("/runs/{reportId:guid}", GetRun).AddEndpointFilter(ThroughTheWayToLp)
            .WithSummary("Reconciliation lookup of a report's latest LPRUN; not counted as an LPRUN call.");
        lp.MapGet("/ledger/{reportId:guid}", GetLedgerEntry)
            .WithSummary("How often LP was called for a report, how often it ran it, and what it answered.");
        lp.MapGet("/stats", GetStats)
            .WithSummary("Call counts, executions, duplicates, failures and LPRUN concurrency since start or the last reset.");

        var admin = lp.MapGroup("/admin").WithTags("LP admin").RequireStandInAdminKey(); // a reset wipes the ledger the chaos audit reads
        admin.MapGet("/faults", GetFaults)
            .WithSummary("The injected faults in force.");
        admin.MapPut("/faults", PutFaults)
            .WithSummary("Replaces the injected faults; an omitted field means no fault of that kind.");
        admin.MapPost("/heal", Heal)
            .WithSummary("Removes every injected fault.");
        admin.MapPut("/capacity", PutCapacity)
            .WithSummary("Changes how many LPRUN executions LP performs at once, while it runs.");
        admin.MapPost("/reset", Reset)
            .WithSummary("Forgets every report and zeroes the statistics (for tests).");

        return app;
    }

    public static Results<Ok<LpStats>, ProblemHttpResult> GetStatus(LpSystem lp) =>
        lp.IsAvailable
            ? TypedResults.Ok(lp.Stats)
            : TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "LP is unavailable.", detail: "LP is in an outage.",
                extensions: LpError(LpErrors.Unavailable));

    public static async Task<Results<Ok<QueueTicket>, ValidationProblem, ProblemHttpResult>> SetQueueAsync(
        SetQueueRequest request, LpSystem lp, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        RequireReportId(request.ReportId, errors);
        Require("reportType", request.ReportType, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, extensions: LpError(LpErrors.Invalid));
        }

        var call = await lp.SetQueueAsync(request.ReportId, cancellationToken);
        return call.Status == LpCallStatus.Succeeded ? TypedResults.Ok(call.Value) : ProblemFor(call, request.ReportId);
    }

    public static async Task<Results<Ok<RunTicket>, ValidationProblem, ProblemHttpResult, ContentHttpResult, EmptyHttpResult>> RunAsync(
        RunRequest request, LpSystem lp, LpFaultSwitch faults, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        RequireReportId(request.ReportId, errors);
        Require("queueId", request.QueueId, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, extensions: LpError(LpErrors.Invalid));
        }

        if (lp.StallsAtGateway(request.ReportId, request.QueueId!, request.FencingToken))
        {
            // Stalled: the caller gets the gateway's timeout now, LP gets the call (and its fencing token) much later.
            return GatewayPage(StatusCodes.Status504GatewayTimeout);
        }

        if (faults.GatewayFails())
        {
            // LP admits the run before the gateway answers (RunAsync admits synchronously) and executes it on its own clock.
            _ = lp.RunAsync(request.ReportId, request.QueueId!, request.FencingToken, CancellationToken.None);
            lp.CountGatewayError();
            return GatewayPage(Random.Shared.Next(2) == 0 ? StatusCodes.Status502BadGateway : StatusCodes.Status504GatewayTimeout);
        }

        var running = lp.RunAsync(request.ReportId, request.QueueId!, request.FencingToken, cancellationToken);
        if (await Task.WhenAny(running, faults.Cut) != running)
        {
            // The way to LP was cut while LP ran the report: the caller's connection drops, the run finishes behind the cut.
            lp.CountLostRunAnswer(request.ReportId);
            httpContext.Abort();
            return TypedResults.Empty;
        }

        var call = await running;
        return call.Status == LpCallStatus.Succeeded ? TypedResults.Ok(call.Value) : ProblemFor(call, request.ReportId);
    }

    /// <summary>While the way to LP is cut, the gateway answers for LP: a 503 without LP's error body, which proves nothing about a report.</summary>
    private static async ValueTask<object?> ThroughTheWayToLp(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        if (!services.GetRequiredService<LpFaultSwitch>().Current.Unreachable)
        {
            return await next(context);
        }

        services.GetRequiredService<LpSystem>().CountUnreachableCall(context.Arguments.OfType<RunRequest>().FirstOrDefault()?.ReportId);
        return GatewayPage(StatusCodes.Status503ServiceUnavailable);
    }

    private static ContentHttpResult GatewayPage(int status) =>
        TypedResults.Content($"<html><body><h1>{status} from the gateway</h1></body></html>", "text/html", statusCode: status);

    public static Results<Ok<RunStatus>, ProblemHttpResult> GetRun(Guid reportId, LpSystem lp)
    {
        var call = lp.FindRun(reportId);
        return call.Status switch
        {
            LpCallStatus.Succeeded => TypedResults.Ok(call.Value),
            LpCallStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "LP has no LPRUN for this report.",
                extensions: LpError(LpErrors.NoRun, reportId)),
            _ => ProblemFor(call, reportId),
        };
    }

    public static Results<Ok<LedgerEntry>, NotFound> GetLedgerEntry(Guid reportId, ReportLedger ledger) =>
        ledger.Find(reportId) is { } record ? TypedResults.Ok(record.Snapshot()) : TypedResults.NotFound();

    public static Ok<LpStats> GetStats(LpSystem lp) => TypedResults.Ok(lp.Stats);

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

    public static Results<Ok<LpStats>, ValidationProblem> PutCapacity(LpCapacity request, LpSystem lp)
    {
        if (request.Capacity is < 1 or > LpCapacity.Max)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["capacity"] = [$"capacity must be between 1 and {LpCapacity.Max}."],
            });
        }

        lp.ResizeCapacity(request.Capacity);
        return TypedResults.Ok(lp.Stats);
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

    // LP's own errors name their decision (LpErrors), so a caller can tell them from a gateway's or a proxy's.
    private static ProblemHttpResult ProblemFor<T>(LpCall<T> call, Guid reportId) => call.Status switch
    {
        LpCallStatus.Rejected => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "LP rejected the report.", extensions: LpError(LpErrors.Rejected, reportId)),
        LpCallStatus.Conflict => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status409Conflict,
            title: "The report is not queued for this run.", extensions: LpError(LpErrors.UnknownQueue, reportId)),
        LpCallStatus.StaleClaim => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status409Conflict,
            title: "A newer claim on this report's LPRUN has called; this call is refused and nothing runs.", extensions: LpError(LpErrors.StaleClaim, reportId)),
        _ => TypedResults.Problem(call.Problem, statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "LP is unavailable.", extensions: LpError(LpErrors.Unavailable, reportId)),
    };

    private static Dictionary<string, object?> LpError(string code, Guid? reportId = null) => reportId is { } id
        ? new() { [LpErrors.Extension] = code, ["reportId"] = id }
        : new() { [LpErrors.Extension] = code };
}
