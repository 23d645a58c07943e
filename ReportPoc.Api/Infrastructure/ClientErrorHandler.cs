using Microsoft.AspNetCore.Diagnostics;

namespace ReportPoc.Api.Infrastructure;

/// <summary>
/// A request the server cannot read — broken chunked framing, a body shorter than its Content-Length, a body that
/// arrives too slowly — is the client's error: 400/408 (or whatever status Kestrel assigns) with a ProblemDetails body
/// that names no internals, never a 500. A client that went away gets no answer, because none can be written.
/// </summary>
internal sealed class ClientErrorHandler(IProblemDetailsService problemDetails, ILogger<ClientErrorHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            if (!httpContext.RequestAborted.IsCancellationRequested)
            {
                return false;
            }

            logger.LogDebug("{Method} {Path}: the client went away ({Reason})", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
            return true;
        }

        // Answered even when the client has closed its sending side: it may still be reading.

        logger.LogInformation("{Method} {Path}: unreadable request ({Status}): {Reason}", httpContext.Request.Method, httpContext.Request.Path,
            badRequest.StatusCode, badRequest.Message);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode == StatusCodes.Status408RequestTimeout
                    ? "The request body did not arrive in time."
                    : "The request could not be read.",
                Detail = "Its HTTP framing or body is incomplete or invalid; nothing was submitted.",
            },
        });
    }
}
