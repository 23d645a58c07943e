using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>The to-be path: the Api publishes to Kafka and answers 202; the processor runs the four steps.</summary>
public sealed class AsyncPathTests(ReportPocApp system)
{
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task SubmissionIsAcceptedAtOnceAndCompletedThroughKafka()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out var traceId), cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync();
        Assert.Equal("Accepted", accepted.GetProperty("status").GetString());
        var id = accepted.GetProperty("id").GetGuid();
        var statusUrl = response.Headers.Location?.ToString();
        Assert.NotNull(statusUrl);
        Assert.Contains(id.ToString(), statusUrl);

        var report = await system.Api.WaitUntilFinishedAsync(statusUrl, CompletionTimeout);
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        Assert.Equal("async", report.GetProperty("path").GetString());
        Assert.Equal(1, report.GetProperty("attempts").GetInt32());
        // The processor ran in the trace the client started: the context crossed Kafka in the message headers.
        Assert.Equal(traceId.ToHexString(), report.GetProperty("traceId").GetString());
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));

        // Each service exports its spans in batches of its own: wait for the Api's as well as the processor's.
        var spans = await system.Telemetry.WaitForTraceAsync(traceId,
            trace => trace.Any(span => span.Name == "LP LPRUN") && trace.Any(span => span.Resource == "api" && span.Kind == "Server")
                && trace.Any(span => span.Name == "publish reports.submitted"), CompletionTimeout);
        var apiSpan = Assert.Single(spans, span => span.Resource == "api" && span.Kind == "Server");
        var publish = Assert.Single(spans, span => span.Name == "publish reports.submitted");
        var process = Assert.Single(spans, span => span.Name == "process reports.submitted");
        Assert.Equal("api", publish.Resource);
        Assert.StartsWith("processor", process.Resource);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal("kafka", publish.Attributes["messaging.system"]);
        Assert.Equal("reports.submitted", process.Attributes["messaging.destination.name"]);
        Assert.Equal("report-processor", process.Attributes["messaging.consumer.group.name"]);
        // The Api answered before the processor finished its work.
        Assert.True(apiSpan.End < process.End, $"Api span ended {apiSpan.End:O}, processing ended {process.End:O}");
    }

    [Fact]
    public async Task StatusOfAnAcceptedReportIsNeverNotFound()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // Straight after the 202 the processor may not have the report yet; the status URL still knows it.
        using var status = await system.Api.GetAsync(response.Headers.Location, cancellation);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains((await status.ReadJsonAsync()).GetProperty("status").GetString(), new[] { "Accepted", "Running", "Completed" });

        // An id nobody accepted, or a forged token, is not found.
        using var unknown = await system.Api.GetAsync($"/api/reports/{Guid.NewGuid()}?token=1700000000000.forged", cancellation);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.True(unknown.IsProblemJson());
    }

    [Fact]
    public async Task SameIdempotencyKeyTwiceYieldsOneReportAndOneLpRun()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var key = "async-" + Guid.NewGuid();
        var body = Reports.ValidBody();
        using var first = await system.Api.SendAsync(Reports.Submit("/api/reports", body, out _, key), cancellation);
        using var second = await system.Api.SendAsync(Reports.Submit("/api/reports", body, out var secondTrace, key), cancellation);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var id = (await first.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(id, (await second.ReadJsonAsync()).GetProperty("id").GetGuid());

        var report = await system.Api.WaitUntilFinishedAsync(second.Headers.Location!.ToString(), CompletionTimeout);
        Assert.Equal("Completed", report.GetProperty("status").GetString());
        // Both messages were consumed in order (same key, same partition); the second found the report done.
        await system.Telemetry.WaitForTraceAsync(secondTrace, trace => trace.Any(span => span.Name == "process reports.submitted"), CompletionTimeout);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
    }

    [Fact]
    public async Task RedeliveredMessageDoesNotCallLpRunAgain()
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
        var accepted = await response.ReadJsonAsync();
        var id = accepted.GetProperty("id").GetGuid();
        var report = await system.Api.WaitUntilFinishedAsync(response.Headers.Location!.ToString(), CompletionTimeout);
        Assert.Equal("Completed", report.GetProperty("status").GetString());

        // Deliver the same message once more, as Kafka would after a consumer crashed before committing.
        var redeliveryTrace = ActivityTraceId.CreateRandom();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = await system.KafkaBootstrapServersAsync() }).Build())
        {
            var message = new
            {
                id,
                idempotencyKey = (string?)null,
                reporterId = report.GetProperty("reporterId").GetString(),
                reportType = report.GetProperty("reportType").GetString(),
                period = report.GetProperty("period").GetString(),
                title = report.GetProperty("title").GetString(),
                content = "Body of the report.",
                acceptedAt = accepted.GetProperty("acceptedAt").GetDateTimeOffset(),
            };
            await producer.ProduceAsync("reports.submitted", new Message<string, byte[]>
            {
                Key = id.ToString(),
                Value = JsonSerializer.SerializeToUtf8Bytes(message, JsonSerializerOptions.Web),
                Headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{redeliveryTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01") } },
            }, cancellation);
        }

        // The processor handled the redelivery (its span is in our trace) and found nothing left to do.
        await system.Telemetry.WaitForTraceAsync(redeliveryTrace,
            trace => trace.Any(span => span.Name == "process reports.submitted"), CompletionTimeout);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
        using var status = await system.Api.GetAsync($"/api/reports/{id}", cancellation);
        Assert.Equal(1, (await status.ReadJsonAsync()).GetProperty("attempts").GetInt32());
    }
}
