using Microsoft.Extensions.Options;
using ReportPoc.Api.AsIsServer;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// The as-is server emulation holds a request thread for as long as a request blocks, so with every thread blocked the
/// next request, however cheap, waits until one is released: the thread-per-request behaviour the collateral benchmark
/// measures.
/// </summary>
public sealed class AsIsRequestThreadsTests
{
    [Fact]
    public async Task ACheapRequestWaitsUntilABlockedRequestThreadIsReleased()
    {
        using var threads = new RequestThreads(Options.Create(new AsIsServerOptions { RequestThreads = 1 }));
        using var release = new ManualResetEventSlim();
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = threads.RunAsync(() =>
        {
            slowStarted.SetResult();
            release.Wait(TestContext.Current.CancellationToken); // a blocking call, as the as-is server makes
            return "slow";
        });
        await slowStarted.Task.WaitAsync(TestContext.Current.CancellationToken);

        var cheapRan = false;
        var cheap = threads.RunAsync(() => cheapRan = true);
        var finishedFirst = await Task.WhenAny(cheap, Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken));

        Assert.NotSame(cheap, finishedFirst);
        Assert.False(cheapRan);
        release.Set();
        Assert.Equal("slow", await slow);
        Assert.True(await cheap);
    }

    [Fact]
    public async Task AnExceptionReachesTheWaitingRequestAndFreesTheThread()
    {
        using var threads = new RequestThreads(Options.Create(new AsIsServerOptions { RequestThreads = 1 }));

        await Assert.ThrowsAsync<InvalidOperationException>(() => threads.RunAsync<int>(() => throw new InvalidOperationException("LP failed")));

        Assert.Equal(42, await threads.RunAsync(() => 42).WaitAsync(TestContext.Current.CancellationToken));
    }
}
