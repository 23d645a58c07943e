using Microsoft.AspNetCore.Diagnostics;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Infrastructure;

/// <summary>
/// An unreachable database is the service's temporary state, not a bug: 503 with Retry-After and a ProblemDetails
/// body, on every endpoint that needs it (the sync path, status reads, the board), instead of a 500.
/// </summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFailures.IsUnavailable(exception))
        {
            return false;
        }

        logger.LogWarning("Database unavailable for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = ((int)RetryAfter.TotalSeconds).ToString();
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The report database is unavailable.",
                Detail = "Retry after the indicated time; a report sent with an Idempotency-Key may be sent again safely.",
            },
        });
    }
}
