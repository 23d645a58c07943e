using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ReportPoc.Api.Infrastructure;

/// <summary>Configuration section <c>RateLimiting</c>, set from the AppHost (RateLimiting:* there).</summary>
public sealed class RateLimitingOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Submissions a client may make per second on each POST, sustained; 0 switches the limit off (the default, so benchmarks measure the paths, not the limiter).</summary>
    [Range(0, 1_000_000)]
    public int SubmissionsPerSecond { get; set; }

    /// <summary>How many a client may send at once before the per-second rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}

/// <summary>
/// Per-client rate limiting on both POSTs with ASP.NET Core's rate limiter: a token bucket per remote address
/// (behind a reverse proxy, configure the forwarded-headers middleware so that is the client's address). Over the
/// limit: 429 with Retry-After and a ProblemDetails body; nothing is submitted.
/// </summary>
public static class SubmissionRateLimiting
{
    public const string Policy = "submissions";

    public static IServiceCollection AddSubmissionRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                if (options.SubmissionsPerSecond == 0)
                {
                    return RateLimitPartition.GetNoLimiter("off");
                }

                return RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.SubmissionsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
            });

            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many submissions from this client.",
                        Detail = "Nothing was submitted. Retry after the indicated time.",
                    },
                });
            };
        });
    }
}
