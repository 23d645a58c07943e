using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace ReportPoc.UnitTests.Support;

/// <summary>
/// A fake clock that tells the test each wait the code under test starts (its due time), so the test can move time
/// exactly to it: no real waiting, and the delays themselves can be asserted.
/// </summary>
public sealed class SteppedClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Waits started and not yet taken by <see cref="NextTimerAsync"/>.</summary>
    public int UnseenTimers => _timers.Reader.Count;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <returns>The due time of the next wait the code starts.</returns>
    public Task<TimeSpan> NextTimerAsync() => ReadTimerAsync(CancellationToken.None);

    private async Task<TimeSpan> ReadTimerAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            return await _timers.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The code under test started no wait within {Patience}.");
        }
    }

    /// <summary>Moves time from wait to wait until <paramref name="work"/> ends; returns its result.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        var finished = new CancellationTokenSource();
        _ = work.ContinueWith(_ => finished.Cancel(), TaskScheduler.Default);
        while (!work.IsCompleted)
        {
            try
            {
                Advance(await ReadTimerAsync(finished.Token));
            }
            catch (OperationCanceledException) when (finished.IsCancellationRequested)
            {
                break;
            }
        }

        return await work;
    }
}
