using Microsoft.Extensions.Options;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.UnitTests.Lp;

public sealed class RunCapacityTests
{
    /// <summary>How long a waiter that should stay waiting is watched; it can only make the test pass wrongly, never fail wrongly.</summary>
    private static readonly TimeSpan Watch = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task RaisingTheCapacityAdmitsWaitersAtOnce()
    {
        var capacity = Capacity(1);
        await Acquire(capacity);
        var first = Acquire(capacity);
        var second = Acquire(capacity);
        await AssertWaiting(first, second);

        capacity.Resize(3);

        await Admitted(first, second);
    }

    [Fact]
    public async Task LoweringTheCapacityLetsRunningOnesFinishAndAdmitsNoneUntilBelowIt()
    {
        var capacity = Capacity(3);
        for (var run = 0; run < 3; run++)
        {
            await Acquire(capacity);
        }

        var waiter = Acquire(capacity);
        capacity.Resize(1);

        capacity.Release(); // 2 running, capacity 1
        await AssertWaiting(waiter);
        capacity.Release(); // 1 running
        await AssertWaiting(waiter);
        capacity.Release(); // none running

        await Admitted(waiter);
        Assert.Equal(1, capacity.Capacity);
    }

    [Fact]
    public async Task WaitersAreAdmittedInArrivalOrder()
    {
        var capacity = Capacity(1);
        await Acquire(capacity);
        var first = Acquire(capacity);
        var second = Acquire(capacity);

        capacity.Release();

        await Admitted(first);
        await AssertWaiting(second);
    }

    [Fact]
    public async Task ACancelledWaiterGivesItsPlaceBack()
    {
        var capacity = Capacity(1);
        await Acquire(capacity);
        using var impatient = new CancellationTokenSource();
        var leaving = capacity.AcquireAsync(impatient.Token);
        var staying = Acquire(capacity);

        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        capacity.Release();

        await Admitted(staying); // next in line, although it came after the one that left
        capacity.Release();
        Assert.True(Acquire(capacity).IsCompletedSuccessfully); // and no slot was lost on the way
    }

    private static RunCapacity Capacity(int slots) => new(Options.Create(new LpOptions { Capacity = slots }));

    private static Task Acquire(RunCapacity capacity) => capacity.AcquireAsync(TestContext.Current.CancellationToken);

    private static async Task AssertWaiting(params Task[] waiters)
    {
        await Task.WhenAny(Task.WhenAll(waiters), Task.Delay(Watch, TestContext.Current.CancellationToken));
        Assert.All(waiters, waiter => Assert.False(waiter.IsCompleted));
    }

    private static Task Admitted(params Task[] waiters) =>
        Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
}
