using System.Collections.Concurrent;
using ReportPoc.Processor.Consuming;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Processor;

public sealed class KeyOrderedLanesTests
{
    [Fact]
    public async Task WorkWithTheSameKeyRunsInDispatchOrderOneAtATime()
    {
        var lanes = new KeyOrderedLanes();
        var order = new ConcurrentQueue<int>();
        var running = 0;
        var overlapped = false;
        var done = new CountdownEvent(20);

        for (var i = 0; i < 20; i++)
        {
            var index = i;
            lanes.Dispatch("same-key", async () =>
            {
                overlapped |= Interlocked.Increment(ref running) > 1;
                await Task.Delay(2, TestContext.Current.CancellationToken);
                order.Enqueue(index);
                Interlocked.Decrement(ref running);
                done.Signal();
            });
        }

        Assert.True(done.Wait(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 20), order);
        await Eventually.TrueAsync(() => lanes.BusyKeys == 0);
    }

    [Fact]
    public async Task ABusyKeyDoesNotHoldUpOtherKeys()
    {
        var lanes = new KeyOrderedLanes();
        var blocker = new TaskCompletionSource();
        var otherRan = new TaskCompletionSource();

        lanes.Dispatch("slow", () => blocker.Task);
        lanes.Dispatch("slow", () => Task.CompletedTask);
        lanes.Dispatch("fast", () =>
        {
            otherRan.SetResult();
            return Task.CompletedTask;
        });

        await otherRan.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(() => lanes.BusyKeys == 1); // "fast" came and went; "slow" still holds its lane
        Assert.False(blocker.Task.IsCompleted);
        blocker.SetResult();
        await Eventually.TrueAsync(() => lanes.BusyKeys == 0);
    }

    [Fact]
    public async Task WorkThatThrowsDoesNotStopTheKeysNextWork()
    {
        var lanes = new KeyOrderedLanes();
        var next = new TaskCompletionSource();

        lanes.Dispatch("key", () => throw new InvalidOperationException("boom"));
        lanes.Dispatch("key", () =>
        {
            next.SetResult();
            return Task.CompletedTask;
        });

        await next.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }
}
