using System.Diagnostics;
using Aspire.Hosting;
using System.Text.Json;

namespace ReportPoc.Tests.Infrastructure;

/// <summary>One span as the Aspire dashboard recorded it.</summary>
public sealed record RecordedSpan(
    string Name, string Resource, string Kind, string SpanId, string? ParentSpanId,
    DateTimeOffset Start, DateTimeOffset End, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Reads traces from the Aspire dashboard's telemetry HTTP API (OTLP JSON), i.e. exactly what a person sees in
/// the dashboard: the spans the services exported, not anything the test recorded itself.
/// </summary>
public sealed class DashboardTelemetry(HttpClient dashboard)
{
    /// <summary>The key the test run gives the dashboard's telemetry API (AppHost:DashboardApiKey).</summary>
    public static readonly string ApiKey = Guid.NewGuid().ToString("N");

    public static async Task<DashboardTelemetry> ConnectAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var dashboardUrl = await app.GetDashboardUrlAsync(cancellationToken);
        var dashboard = new HttpClient { BaseAddress = new Uri(dashboardUrl.GetLeftPart(UriPartial.Authority)) };
        dashboard.DefaultRequestHeaders.Add("x-api-key", ApiKey);
        return new DashboardTelemetry(dashboard);
    }

    /// <summary>Waits until the trace satisfies <paramref name="complete"/> (spans arrive in batches) and returns its spans.</summary>
    public async Task<IReadOnlyList<RecordedSpan>> WaitForTraceAsync(ActivityTraceId traceId, Func<IReadOnlyList<RecordedSpan>, bool> complete, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<RecordedSpan> spans = [];
        while (DateTime.UtcNow < deadline)
        {
            spans = await GetTraceAsync(traceId);
            if (spans.Count > 0 && complete(spans))
            {
                return spans;
            }

            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"Trace {traceId} incomplete after {timeout}: {string.Join(", ", spans.Select(s => $"{s.Resource}:{s.Name}"))}");
        return spans;
    }

    public async Task<IReadOnlyList<RecordedSpan>> GetTraceAsync(ActivityTraceId traceId)
    {
        using var response = await dashboard.GetAsync($"/api/telemetry/traces/{traceId.ToHexString()}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        var document = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return ReadSpans(document).ToList();
    }

    private static IEnumerable<RecordedSpan> ReadSpans(JsonElement document)
    {
        foreach (var resourceSpans in document.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var resource = Attributes(resourceSpans.GetProperty("resource")).GetValueOrDefault("service.name", "?");
            foreach (var scope in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                foreach (var span in scope.GetProperty("spans").EnumerateArray())
                {
                    yield return new RecordedSpan(
                        span.GetProperty("name").GetString()!,
                        resource,
                        span.TryGetProperty("kind", out var kind) ? KindName(kind.GetInt32()) : "Unspecified",
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                        FromUnixNanos(span.GetProperty("startTimeUnixNano").GetString()!),
                        FromUnixNanos(span.GetProperty("endTimeUnixNano").GetString()!),
                        Attributes(span));
                }
            }
        }
    }

    private static Dictionary<string, string> Attributes(JsonElement element) =>
        element.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(
                a => a.GetProperty("key").GetString()!,
                a => a.GetProperty("value").EnumerateObject().First().Value.ToString())
            : [];

    // OTLP SpanKind numbering.
    private static string KindName(int kind) => kind switch
    {
        1 => "Internal", 2 => "Server", 3 => "Client", 4 => "Producer", 5 => "Consumer", _ => "Unspecified",
    };

    private static DateTimeOffset FromUnixNanos(string nanos) =>
        DateTimeOffset.UnixEpoch.AddTicks(long.Parse(nanos) / 100);
}
