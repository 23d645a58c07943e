using System.Diagnostics;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>A processor that is stopped or crashes never costs the Api anything, and never loses or repeats a report.</summary>
public sealed class ProcessorFailureTests(ReportPocApp system)
{
    private const int ReportsPerPhase = 100;

    [Fact]
    public async Task WhileTheProcessorIsStoppedTheApiKeepsAcceptingAndTheBacklogDrainsAfterRestart()
    {
        var running = await SubmitAsync(ReportsPerPhase);

        await system.App.StopAsync("processor");
        List<Submitted> stopped;
        try
        {
            stopped = await SubmitAsync(ReportsPerPhase);
            Assert.All(stopped, report => Assert.Equal("Accepted", report.StatusWhenAccepted));
        }
        finally
        {
            await system.App.StartAsync("processor");
        }

        // Accept latency is a benchmark figure, not an assertion (noisy machines); shown here for the record.
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"accept latency p50/p99 with the processor running: {Percentile(running, 50):F1}/{Percentile(running, 99):F1} ms; " +
            $"stopped: {Percentile(stopped, 50):F1}/{Percentile(stopped, 99):F1} ms");

        foreach (var report in running.Concat(stopped))
        {
            var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));
            Assert.Equal("Completed", finished.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task AProcessorKilledDuringLprunLeavesNoReportStuckAndLpRunsItOnce()
    {
        var cancellation = TestContext.Current.CancellationToken;
        // Slow LP down so the kill lands while LPRUN is in flight.
        (await system.Lp.PutAsJsonAsync("/lp/admin/faults", new { errorRate = 0.0, slowdownFactor = 20, outage = false }, cancellation)).EnsureSuccessStatusCode();
        Submitted report;
        try
        {
            report = (await SubmitAsync(1))[0];
            await WaitUntilAsync(async () => (await system.Lp.CallsForAsync(report.Id)).RunCalls == 1, TimeSpan.FromSeconds(30));
            await system.App.KillAsync("processor");
        }
        finally
        {
            (await system.Lp.PostAsync("/lp/admin/heal", null, CancellationToken.None)).EnsureSuccessStatusCode();
        }

        await system.App.StartAsync("processor");
        var finished = await system.Api.WaitUntilFinishedAsync(report.StatusUrl, TimeSpan.FromMinutes(1));

        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        Assert.Equal(1, (await system.Lp.CallsForAsync(report.Id)).RunCalls);
    }

    private sealed record Submitted(Guid Id, string StatusUrl, string StatusWhenAccepted, double AcceptMs);

    private async Task<List<Submitted>> SubmitAsync(int count)
    {
        var submitted = new List<Submitted>(count);
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await system.Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), TestContext.Current.CancellationToken);
            clock.Stop();
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var body = await response.ReadJsonAsync();
            submitted.Add(new Submitted(body.GetProperty("id").GetGuid(), response.Headers.Location!.ToString(),
                body.GetProperty("status").GetString()!, clock.Elapsed.TotalMilliseconds));
        }

        return submitted;
    }

    private static double Percentile(List<Submitted> reports, int percentile)
    {
        var sorted = reports.Select(report => report.AcceptMs).Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within {timeout}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
