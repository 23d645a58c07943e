using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.Api.Submissions;

/// <summary>Configuration section <c>Identity</c>: where the reporter of a submission comes from.</summary>
public sealed class ReporterIdentityOptions
{
    public const string Section = "Identity";

    /// <summary>
    /// False (the default, the documented development setup): the body's reporterId is the reporter. True: the request
    /// must be authenticated (the existing system's scheme) and the body's reporterId must be the reporter its
    /// <see cref="ReporterClaim"/> names.
    /// </summary>
    public bool RequireAuthenticatedReporter { get; set; }

    [Required]
    public string ReporterClaim { get; set; } = "reporter_id";
}

/// <summary>The one place that decides whether a request may act as the reporter its body names (README, "Who may call the Api").</summary>
public interface IReporterIdentity
{
    /// <summary>Null when the request may submit as <paramref name="reporterId"/>; otherwise the answer refusing it.</summary>
    ProblemHttpResult? Refusal(HttpContext http, string reporterId);
}

/// <summary>The reporter is the authenticated user's reporter claim; without identity configured, the body's field.</summary>
internal sealed class ClaimsReporterIdentity(IOptions<ReporterIdentityOptions> options) : IReporterIdentity
{
    public ProblemHttpResult? Refusal(HttpContext http, string reporterId)
    {
        if (!options.Value.RequireAuthenticatedReporter)
        {
            return null;
        }

        var authenticated = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirst(options.Value.ReporterClaim)?.Value : null;
        if (authenticated is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: ReportErrors.NotAuthenticated);
        }

        return string.Equals(authenticated, reporterId, StringComparison.Ordinal)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: ReportErrors.OtherReporter);
    }
}
