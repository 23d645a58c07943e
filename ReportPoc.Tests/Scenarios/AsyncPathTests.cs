using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
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
        var accepted = (await response.Content.ReadFromJsonAsync<AcceptedReport>(cancellation))!;
        Assert.Equal(ReportStatus.Accepted, accepted.Status);
        var id = accepted.Id;
        var statusUrl = response.Headers.Location?.ToString();
        Assert.NotNull(statusUrl);
        Assert.Contains(id.ToString(), statusUrl);
        Assert.Equal(statusUrl, accepted.StatusUrl);

        var report = await system.Api.WaitUntilFinishedAsync(statusUrl, CompletionTimeout);
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(ReportPath.Async, report.Path);
        Assert.Equal(1, report.Attempts);
        // The processor ran in the trace the client started: the context crossed Kafka in the message headers.
        Assert.Equal(traceId.ToHexString(), report.TraceId);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));

        // Each service exports its spans in its own batches: wait for all the spans the assertions below look at.
        var spans = await system.Telemetry.WaitForTraceAsync(traceId, trace =>
            trace.Any(span => span.Resource == ResourceNames.Api && span.Kind == "Server")
            && trace.Any(span => span.Name == $"publish {KafkaTopics.Submitted}")
            && trace.Any(span => span.Name == $"process {KafkaTopics.Submitted}")
            && trace.Any(span => span.Name == "LP LPRUN"), CompletionTimeout);
        var apiSpan = Assert.Single(spans, span => span.Resource == ResourceNames.Api && span.Kind == "Server");
        var publish = Assert.Single(spans, span => span.Name == $"publish {KafkaTopics.Submitted}");
        var process = Assert.Single(spans, span => span.Name == $"process {KafkaTopics.Submitted}");
        Assert.Equal(ResourceNames.Api, publish.Resource);
        Assert.StartsWith(ResourceNames.Processor, process.Resource);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal("kafka", publish.Attributes["messaging.system"]);
        Assert.Equal(KafkaTopics.Submitted, process.Attributes["messaging.destination.name"]);
        Assert.Equal(KafkaTopics.ProcessorConsumerGroup, process.Attributes["messaging.consumer.group.name"]);
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
        Assert.Contains((await status.ReadReportAsync()).Status, new[] { ReportStatus.Accepted, ReportStatus.Running, ReportStatus.Completed });

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
        var id = (await first.Content.ReadFromJsonAsync<AcceptedReport>(cancellation))!.Id;
        Assert.Equal(id, (await second.Content.ReadFromJsonAsync<AcceptedReport>(cancellation))!.Id);

        var report = await system.Api.WaitUntilFinishedAsync(second.Headers.Location!.ToString(), CompletionTimeout);
        Assert.Equal(ReportStatus.Completed, report.Status);
        // The repeat either found the report's row already written (the processor had picked the first message up) and published
        // nothing, or it published again; then both messages were consumed in order (same key, same partition) and the second
        // found the report done. Either way LP saw one setQueue and one LPRUN.
        var published = $"publish {KafkaTopics.Submitted}";
        await system.Telemetry.WaitForTraceAsync(secondTrace, trace =>
            trace.Any(span => span.Resource == ResourceNames.Api && span.Kind == "Server")
            && (trace.All(span => span.Name != published) || trace.Any(span => span.Name == $"process {KafkaTopics.Submitted}")), CompletionTimeout);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
    }

    [Fact]
    public async Task RedeliveredMessageDoesNotCallLpRunAgain()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var accepted = await system.Api.SubmitAsyncReportAsync();
        var id = accepted.Id;
        var report = await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, CompletionTimeout);
        Assert.Equal(ReportStatus.Completed, report.Status);

        // Deliver the same message once more, as Kafka would after a consumer crashed before committing.
        var redeliveryTrace = ActivityTraceId.CreateRandom();
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = await system.KafkaBootstrapServersAsync() }).Build())
        {
            var message = new ReportSubmitted(id, null, report.ReporterId!, report.ReportType!, report.Period!, report.Title!,
                "Body of the report.", accepted.AcceptedAt);
            await producer.ProduceAsync(KafkaTopics.Submitted, new Message<string, byte[]>
            {
                Key = id.ToString(),
                Value = message.ToUtf8Json(),
                Headers = new Headers { { "traceparent", Encoding.UTF8.GetBytes($"00-{redeliveryTrace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01") } },
            }, cancellation);
        }

        // The processor handled the redelivery (its span is in our trace) and found nothing left to do.
        await system.Telemetry.WaitForTraceAsync(redeliveryTrace,
            trace => trace.Any(span => span.Name == $"process {KafkaTopics.Submitted}"), CompletionTimeout);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(id));
        using var status = await system.Api.GetAsync(accepted.StatusUrl, cancellation);
        Assert.Equal(1, (await status.ReadReportAsync()).Attempts);
    }
}
