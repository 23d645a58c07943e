using Microsoft.Extensions.Logging.Abstractions;
using ReportPoc.Processor.Availability;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Processor;

public sealed class DependencyGateTests
{
    private static readonly TimeSpan FirstProbeDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxProbeDelay = TimeSpan.FromSeconds(8);

    private readonly SteppedClock _clock = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _probes;
    private int _probeFailuresLeft = int.MaxValue;

    [Fact]
    public async Task StaysOpenBelowTheFailureThreshold()
    {
        var gate = Gate(failuresToClose: 3);

        gate.Failed("timeout");
        gate.Failed("timeout");

        Assert.True(gate.IsOpen);
        Assert.Null(gate.Outage);
        await gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(0, _clock.UnseenTimers); // no probing started
    }

    [Fact]
    public void ClosesAfterTheThresholdOfConsecutiveFailures()
    {
        var gate = Gate(failuresToClose: 3);

        gate.Failed("first");
        gate.Failed("second");
        gate.Failed("third");

        Assert.False(gate.IsOpen);
        Assert.Equal("LP", gate.Outage!.Dependency);
        Assert.Equal("third", gate.Outage.Reason);
        Assert.Equal(_clock.GetUtcNow(), gate.Outage.Since);
        Assert.False(gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken).IsCompleted);
    }

    [Fact]
    public void ASuccessInBetweenStartsTheCountAgain()
    {
        var gate = Gate(failuresToClose: 3);

        gate.Failed("x");
        gate.Failed("x");
        gate.Succeeded();
        gate.Failed("x");
        gate.Failed("x");
        Assert.True(gate.IsOpen);

        gate.Failed("x");
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public async Task WaitersAreReleasedWhenAProbeSucceeds()
    {
        var gate = Gate(failuresToClose: 1);
        _probeFailuresLeft = 2;
        gate.Failed("down");
        var waiter = gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken);

        for (var probe = 1; probe <= 3; probe++)
        {
            var due = await _clock.NextTimerAsync(); // started after the previous probe failed
            Assert.False(waiter.IsCompleted);
            Assert.False(gate.IsOpen);
            _clock.Advance(due);
        }

        await waiter.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(gate.IsOpen);
        Assert.Null(gate.Outage);
        Assert.Equal(3, _probes);
        Assert.Equal(3, gate.Probes);
    }

    [Fact]
    public async Task ProbesBackOffUpToTheMaximumDelay()
    {
        var gate = Gate(failuresToClose: 1);
        gate.Failed("down");

        var delays = new List<TimeSpan>();
        for (var wait = 1; wait <= 6; wait++)
        {
            delays.Add(await _clock.NextTimerAsync());
            if (wait < 6)
            {
                _clock.Advance(delays[^1]);
            }
        }

        Assert.Equal([1, 2, 4, 8, 8, 8], delays.Select(delay => delay.TotalSeconds));
        Assert.Equal(5, _probes);
        Assert.False(gate.IsOpen);
    }

    [Fact]
    public async Task ASucceededCallOpensAClosedGate()
    {
        var gate = Gate(failuresToClose: 2);
        gate.Failed("down");
        gate.Failed("down");
        var waiter = gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken);
        Assert.False(gate.IsOpen);

        gate.Succeeded();

        Assert.True(gate.IsOpen);
        await waiter.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(0, _probes);
    }

    [Fact]
    public void FailuresWhileClosedStartNoSecondProber()
    {
        var gate = Gate(failuresToClose: 2);

        for (var failure = 0; failure < 7; failure++)
        {
            gate.Failed("down");
        }

        Assert.False(gate.IsOpen);
        Assert.Equal(1, _clock.UnseenTimers);
    }

    [Fact]
    public async Task AReopenedGateClosesAgainWithANewOutage()
    {
        var gate = Gate(failuresToClose: 1);
        _probeFailuresLeft = 0;
        gate.Failed("first outage");
        _clock.Advance(await _clock.NextTimerAsync());
        await gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        gate.Failed("second outage");

        Assert.Equal("second outage", gate.Outage?.Reason);
        var waiter = gate.WaitUntilOpenAsync(TestContext.Current.CancellationToken);
        Assert.False(waiter.IsCompleted);
        _clock.Advance(await _clock.NextTimerAsync());
        await waiter.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(2, _probes);
        Assert.Equal(1, gate.Probes); // counted per outage
    }

    [Fact]
    public async Task StoppingEndsTheProbing()
    {
        var gate = Gate(failuresToClose: 1);
        gate.Failed("down");
        var due = await _clock.NextTimerAsync();

        _stopping.Cancel();
        _clock.Advance(due * 100);

        Assert.Equal(0, _probes);
        Assert.Equal(0, _clock.UnseenTimers);
    }

    private DependencyGate Gate(int failuresToClose) =>
        new("LP", Probe, failuresToClose, FirstProbeDelay, MaxProbeDelay, _clock, NullLogger.Instance, _stopping.Token);

    private Task Probe(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _probes);
        return Interlocked.Decrement(ref _probeFailuresLeft) >= 0
            ? Task.FromException(new HttpRequestException("connection refused"))
            : Task.CompletedTask;
    }
}
