using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace ReportPoc.Api.Infrastructure;

/// <summary>Configuration section <c>RateLimiting</c>, set from the AppHost (RateLimiting:* there).</summary>
public sealed class RateLimitingOptions : IValidatableObject
{
    public const string Section = "RateLimiting";

    /// <summary>Submissions a client may make per second on each POST, sustained; 0 switches the limit off (the default, so benchmarks measure the paths, not the limiter).</summary>
    [Range(0, 1_000_000)]
    public int SubmissionsPerSecond { get; set; }

    /// <summary>How many a client may send at once before the per-second rate applies.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;

    /// <summary>Every other request a client may make per second (status reads, streams, /api/system, the limits, the as-is emulation), a budget of its own; 0 = off.</summary>
    [Range(0, 1_000_000)]
    public int ReadsPerSecond { get; set; }

    [Range(1, 1_000_000)]
    public int ReadBurst { get; set; } = 200;

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> names the client. From anyone else
    /// the header is ignored: the remote address is the client. Empty (the default) trusts no one, loopback included.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => TrustedProxies
        .Where(proxy => !IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
        .Select(proxy => new ValidationResult($"RateLimiting:TrustedProxies: '{proxy}' is neither an address nor a CIDR network.", [nameof(TrustedProxies)]));
}

/// <summary>
/// Per-client rate limiting with ASP.NET Core's rate limiter: a token bucket per client on each POST (the
/// <see cref="Policy"/>), and one more per client for everything else a client can call in a loop (the global
/// limiter; health probes excepted). A client is its address, IPv6 by its /64 (one subscriber's usual allocation, so a
/// host cannot step through its addresses for new buckets), taken from <c>X-Forwarded-For</c> only when a trusted proxy
/// sent it. Over a limit: 429 with Retry-After and a ProblemDetails body; nothing is submitted.
/// </summary>
public static class SubmissionRateLimiting
{
    public const string Policy = "submissions";

    public static IServiceCollection AddSubmissionRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        // PostConfigure: also wins over ASPNETCORE_FORWARDEDHEADERS_ENABLED, which would trust every sender.
        services.AddOptions<ForwardedHeadersOptions>().PostConfigure<IOptions<RateLimitingOptions>>((forwarded, limits) =>
        {
            // With no known proxy at all the middleware would believe every sender, so then it reads nothing.
            forwarded.ForwardedHeaders = limits.Value.TrustedProxies.Length == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = 1; // the entry the nearest proxy appended; what a client wrote before it is not believed
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
            {
                if (IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            }
        });

        return services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                return Bucket("submissions", context, options.SubmissionsPerSecond, options.Burst);
            });

            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
                var endpoint = context.GetEndpoint();
                // Submissions have their own budget; health probes come from the orchestrator; a request no endpoint
                // answers (a static file, a 404) does no work worth limiting.
                return endpoint is null || endpoint.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null || IsHealthProbe(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("exempt")
                    : Bucket("reads", context, options.ReadsPerSecond, options.ReadBurst);
            });

            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var submission = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>() is not null;
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = submission ? "Too many submissions from this client." : "Too many requests from this client.",
                        Detail = submission ? "Nothing was submitted. Retry after the indicated time." : "Retry after the indicated time.",
                    },
                });
            };
        });
    }

    /// <summary>The forwarded-headers middleware (trusted proxies only), then the limiter, which sees the client it names.</summary>
    public static IApplicationBuilder UseClientRateLimiting(this IApplicationBuilder app) => app.UseForwardedHeaders().UseRateLimiter();

    /// <summary>The bucket a client's requests share: its IPv4 address, or its IPv6 /64.</summary>
    public static string ClientOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static RateLimitPartition<string> Bucket(string budget, HttpContext context, int perSecond, int burst) =>
        perSecond == 0
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetTokenBucketLimiter($"{budget} {ClientOf(context.Connection.RemoteIpAddress)}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            });

    private static bool IsHealthProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");
}
