using System.Threading.Channels;
using Confluent.Kafka;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Works on up to <c>width</c> messages at once while keeping each key's messages in order: a key always goes to
/// the same lane, and a lane handles its messages one after another. Concurrency is therefore independent of the
/// partition count, which is what lets one instance keep a slow downstream system busy.
/// </summary>
internal sealed class KeyOrderedLanes
{
    private readonly Channel<ConsumeResult<string, byte[]>>[] _lanes;
    private readonly Task[] _workers;
    private readonly SemaphoreSlim _slots;

    /// <param name="handle">Handles one message; throwing OperationCanceledException hands it back unfinished.</param>
    /// <param name="finished">Called once a message is fully handled (its offset may be committed).</param>
    /// <param name="faulted">Called when handling threw; the message stays uncommitted and is redelivered after a restart or rebalance.</param>
    public KeyOrderedLanes(int width, Func<ConsumeResult<string, byte[]>, Task> handle, Action<ConsumeResult<string, byte[]>> finished,
        Action<ConsumeResult<string, byte[]>, Exception> faulted)
    {
        _slots = new SemaphoreSlim(width, width);
        _lanes = new Channel<ConsumeResult<string, byte[]>>[width];
        _workers = new Task[width];
        for (var i = 0; i < width; i++)
        {
            var lane = _lanes[i] = Channel.CreateUnbounded<ConsumeResult<string, byte[]>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _workers[i] = Task.Run(async () =>
            {
                await foreach (var message in lane.Reader.ReadAllAsync())
                {
                    try
                    {
                        await handle(message);
                        finished(message);
                    }
                    catch (OperationCanceledException)
                    {
                        // Shutdown ran out of time: the message stays uncommitted and is redelivered.
                    }
                    catch (Exception exception)
                    {
                        faulted(message, exception);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }
            });
        }
    }

    /// <summary>Blocks the polling thread until fewer than <c>width</c> messages are in flight.</summary>
    public void WaitForSlot(CancellationToken cancellationToken) => _slots.Wait(cancellationToken);

    public void Dispatch(ConsumeResult<string, byte[]> message)
    {
        var lane = (uint)(message.Message.Key?.GetHashCode() ?? message.Offset.Value.GetHashCode()) % (uint)_lanes.Length;
        _lanes[lane].Writer.TryWrite(message);
    }

    /// <returns>True when every dispatched message was handled within the timeout.</returns>
    public bool Drain(TimeSpan timeout)
    {
        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }

        return Task.WaitAll(_workers, timeout);
    }
}
