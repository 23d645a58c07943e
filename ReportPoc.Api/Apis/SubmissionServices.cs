using Microsoft.Extensions.Options;
using ReportPoc.Api.Submissions;
using ReportPoc.Reports.Workflow;

namespace ReportPoc.Api.Apis;

/// <summary>What every submission handler uses besides its path's own services, bound in one parameter ([AsParameters]).</summary>
public sealed record SubmissionServices(ReportsTelemetry Telemetry, TimeProvider Clock, StatusUrls StatusUrls, IOptions<PublishingOptions> Publishing,
    IReporterIdentity Identity);
