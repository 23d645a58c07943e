using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// Outcome push: a report's states as Server-Sent Events on its status URL's /events twin, fed by the Api's one
/// PostgreSQL LISTEN subscription.
/// </summary>
public sealed class ReportEventsTests(ReportPocApp system)
{
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StreamSendsEachStateInOrderWithTheStatusReadsBodyAndEndsAtTheFinalOne()
    {
        // LP slowed so that Running lasts long enough to be a state of its own, not just a moment between two writes.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 5));
        List<(string? Id, ReportView Report)> states;
        AcceptedReport accepted;
        try
        {
            accepted = await system.Api.SubmitAsyncReportAsync();
            await using var stream = await ReportStream.OpenAsync(system.Api, accepted.StatusUrl);
            Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
            Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
            states = await stream.ReadToEndAsync(StreamTimeout);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        var statuses = states.Select(state => state.Report.Status).Distinct().ToList();
        Assert.Equal(statuses.OrderBy(status => (int)status).ToList(), statuses);
        Assert.Contains(ReportStatus.Running, statuses);
        Assert.Equal(ReportStatus.Completed, states[^1].Report.Status);
        Assert.Single(states, state => state.Report.IsFinal);
        Assert.Equal(states.Count, states.Select(state => state.Id).Distinct().Count());
        Assert.All(states, state => Assert.Equal(accepted.Id, state.Report.Id));

        using var read = await system.Api.GetAsync(accepted.StatusUrl, TestContext.Current.CancellationToken);
        Assert.Equal(await read.ReadReportAsync(), states[^1].Report);
    }

    [Fact]
    public async Task ReconnectingWithLastEventIdResumesWithoutRepeatsAndAfterTheFinalStateAnswers204()
    {
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 5));
        string? firstId;
        AcceptedReport accepted;
        try
        {
            accepted = await system.Api.SubmitAsyncReportAsync();
            await using (var stream = await ReportStream.OpenWhenAdmittedAsync(system.Api, accepted.StatusUrl, AdmissionWait))
            {
                Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
                var first = (await stream.NextAsync(StreamTimeout))!.Value;
                Assert.False(ReportStream.Parse(first).IsFinal);
                firstId = first.EventId;
            }

            // The connection is gone while the report moves on: the transition to Completed is announced to nobody here.
            await system.Api.WaitUntilFinishedAsync(accepted.StatusUrl, StreamTimeout);
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        await using (var resumed = await ReportStream.OpenAsync(system.Api, accepted.StatusUrl, lastEventId: firstId))
        {
            var missed = await resumed.ReadToEndAsync(StreamTimeout);
            var only = Assert.Single(missed);
            Assert.Equal(ReportStatus.Completed, only.Report.Status);
            Assert.NotEqual(firstId, only.Id);

            await using var afterTheEnd = await ReportStream.OpenAsync(system.Api, accepted.StatusUrl, lastEventId: only.Id);
            Assert.Equal(HttpStatusCode.NoContent, afterTheEnd.Response.StatusCode);
        }
    }

    [Fact]
    public async Task ResumingAfterAnApiRestartLosesNoTransition()
    {
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 20));
        AcceptedReport accepted;
        string? seen;
        try
        {
            accepted = await system.Api.SubmitAsyncReportAsync();
            await using (var stream = await ReportStream.OpenWhenAdmittedAsync(system.Api, accepted.StatusUrl, AdmissionWait))
            {
                Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
                var first = (await stream.NextAsync(StreamTimeout))!.Value;
                Assert.False(ReportStream.Parse(first).IsFinal);
                seen = first.EventId;
                // The Api goes down under the open stream, and LP finishes the report meanwhile.
                await system.App.StopAsync(ResourceNames.Api);
            }

            await Eventually.TrueAsync(async () => (await system.Lp.CallsForAsync(accepted.Id)).RunExecutions == 1, StreamTimeout);
        }
        finally
        {
            await system.Lp.HealAsync();
            await system.App.StartAsync(ResourceNames.Api);
        }

        // A new instance, whose feed never heard of the report: the stream starts from the row, so nothing is missed.
        await using var resumed = await ReportStream.OpenAsync(system.Api, accepted.StatusUrl, lastEventId: seen);
        Assert.Equal(HttpStatusCode.OK, resumed.Response.StatusCode);
        var states = await resumed.ReadToEndAsync(StreamTimeout);
        Assert.DoesNotContain(states, state => state.Id == seen);
        Assert.Equal(ReportStatus.Completed, states[^1].Report.Status);
        Assert.Equal((1, 1), await system.Lp.CallsForAsync(accepted.Id));
    }

    [Fact]
    public async Task NoTokenNoStreamAndUnknownForeignOrForgedAreTheSame404()
    {
        var accepted = await system.Api.SubmitAsyncReportAsync();
        var other = await system.Api.SubmitAsyncReportAsync();
        var token = accepted.StatusUrl[(accepted.StatusUrl.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];
        string[] refused =
        [
            $"/api/reports/{accepted.Id}",
            $"/api/reports/{Guid.NewGuid()}?token={token}",
            $"/api/reports/{other.Id}?token={token}",
            $"/api/reports/{accepted.Id}?token={token[..^2]}xx",
        ];

        var titles = new List<string?>();
        foreach (var statusUrl in refused)
        {
            await using var stream = await ReportStream.OpenAsync(system.Api, statusUrl);
            Assert.Equal(HttpStatusCode.NotFound, stream.Response.StatusCode);
            Assert.True(stream.Response.IsProblemJson());
            titles.Add((await stream.Response.ReadJsonAsync()).GetProperty("title").GetString());
        }

        Assert.Single(titles.Distinct());
        await using var allowed = await ReportStream.OpenAsync(system.Api, accepted.StatusUrl);
        Assert.Equal(HttpStatusCode.OK, allowed.Response.StatusCode);
    }

    /// <summary>How long a test waits for streams of earlier tests to let go of this client's places.</summary>
    private static readonly TimeSpan AdmissionWait = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task OpenStreamsPerClientAreBoundedIdleOnesBeatAndAllEndWhenTheirReportsDo()
    {
        // LP slowed far enough that the reports stay unfinished while the streams are counted.
        await system.Lp.SetFaultsAsync(new LpFaults(SlowdownFactor: 40));
        var streams = new List<ReportStream>();
        try
        {
            // Streams of earlier tests may still hold some of this client's places (the suite is one client): wait for one,
            // then open until refused. The bound holds if the refusal comes within StreamsPerClient streams.
            streams.Add(await ReportStream.OpenWhenAdmittedAsync(system.Api, (await system.Api.SubmitAsyncReportAsync()).StatusUrl, AdmissionWait));
            Assert.Equal(HttpStatusCode.OK, streams[0].Response.StatusCode);
            ReportStream? refused = null;
            while (refused is null)
            {
                var next = await ReportStream.OpenAsync(system.Api, (await system.Api.SubmitAsyncReportAsync()).StatusUrl);
                if (next.Response.StatusCode == HttpStatusCode.OK)
                {
                    streams.Add(next);
                    Assert.True(streams.Count <= ReportPocApp.StreamsPerClient, $"{streams.Count} streams open, more than the bound of {ReportPocApp.StreamsPerClient}.");
                }
                else
                {
                    refused = next;
                }
            }

            await using (refused)
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.Response.StatusCode);
                Assert.True(refused.Response.IsProblemJson());
                Assert.NotNull(refused.Response.Headers.RetryAfter);
            }

            // An idle stream says it is alive, with no state of its own.
            var beat = false;
            for (var i = 0; i < 10 && !beat; i++)
            {
                var item = (await streams[0].NextAsync(StreamTimeout))!.Value;
                beat = item.EventType == ReportStreamEvents.Heartbeat && item.EventId is null or "";
            }

            Assert.True(beat, "no heartbeat on an idle stream");
        }
        finally
        {
            await system.Lp.HealAsync();
        }

        // Every one of the streams hears its report complete, and ends.
        foreach (var stream in streams)
        {
            var states = await stream.ReadToEndAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(ReportStatus.Completed, states[^1].Report.Status);
            await stream.DisposeAsync();
        }

        // The bound counts open streams only: with those closed (the server lets go once each response is done), a new one is admitted.
        var later = await system.Api.SubmitAsyncReportAsync();
        await Eventually.TrueAsync(async () =>
        {
            await using var admitted = await ReportStream.OpenAsync(system.Api, later.StatusUrl);
            return admitted.Response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(10));
    }
}
