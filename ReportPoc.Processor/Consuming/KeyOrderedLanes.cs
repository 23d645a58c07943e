using Confluent.Kafka;

namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Works on up to <c>width</c> messages at once while keeping each key's messages in order: every key in flight has a
/// lane of its own, which handles that key's messages one after another and ends when none is left. Concurrency is
/// therefore independent of the partition count, which is what lets one instance keep a slow downstream system busy,
/// and a busy key never holds up another key's message (as a fixed set of hashed lanes would, where two keys that
/// collide wait for each other while other lanes idle).
/// </summary>
internal sealed class KeyOrderedLanes
{
    private readonly int _width;
    private readonly SemaphoreSlim _slots;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<ConsumeResult<string, byte[]>>> _busyKeys = [];
    private readonly Func<ConsumeResult<string, byte[]>, Task> _handle;
    private readonly Action<ConsumeResult<string, byte[]>> _finished;
    private readonly Action<ConsumeResult<string, byte[]>, Exception> _faulted;

    /// <param name="handle">Handles one message; throwing OperationCanceledException hands it back unfinished.</param>
    /// <param name="finished">Called once a message is fully handled (its offset may be committed).</param>
    /// <param name="faulted">Called when handling threw; the message stays uncommitted and is redelivered after a restart or rebalance.</param>
    public KeyOrderedLanes(int width, Func<ConsumeResult<string, byte[]>, Task> handle, Action<ConsumeResult<string, byte[]>> finished,
        Action<ConsumeResult<string, byte[]>, Exception> faulted)
    {
        _width = width;
        _slots = new SemaphoreSlim(width, width);
        _handle = handle;
        _finished = finished;
        _faulted = faulted;
    }

    /// <summary>Blocks the polling thread until fewer than <c>width</c> messages are in flight.</summary>
    public void WaitForSlot(CancellationToken cancellationToken) => _slots.Wait(cancellationToken);

    /// <summary>Hands over a message that holds a slot: it starts now, or after the messages with its key before it.</summary>
    public void Dispatch(ConsumeResult<string, byte[]> message)
    {
        var key = message.Message.Key;
        if (key is not null)
        {
            lock (_gate)
            {
                if (_busyKeys.TryGetValue(key, out var waiting))
                {
                    waiting.Enqueue(message);
                    return;
                }

                _busyKeys[key] = new Queue<ConsumeResult<string, byte[]>>();
            }
        }

        _ = Task.Run(() => RunLaneAsync(key, message));
    }

    /// <returns>True when every dispatched message was handled within the timeout.</returns>
    public bool Drain(TimeSpan timeout)
    {
        // Every message holds a slot until it is handled, so all slots free means nothing is left in flight.
        var deadline = DateTime.UtcNow + timeout;
        for (var i = 0; i < _width; i++)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || !_slots.Wait(remaining))
            {
                return false;
            }
        }

        return true;
    }

    private async Task RunLaneAsync(string? key, ConsumeResult<string, byte[]> first)
    {
        for (var message = first; message is not null; message = NextFor(key))
        {
            try
            {
                await _handle(message);
                _finished(message);
            }
            catch (OperationCanceledException)
            {
                // Shutdown ran out of time: the message stays uncommitted and is redelivered.
            }
            catch (Exception exception)
            {
                _faulted(message, exception);
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    /// <summary>The key's next waiting message, or null after closing the key's lane.</summary>
    private ConsumeResult<string, byte[]>? NextFor(string? key)
    {
        if (key is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (_busyKeys[key].TryDequeue(out var next))
            {
                return next;
            }

            _busyKeys.Remove(key);
            return null;
        }
    }
}
