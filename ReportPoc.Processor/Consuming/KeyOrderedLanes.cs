namespace ReportPoc.Processor.Consuming;

/// <summary>
/// Runs many pieces of work at once while keeping each key's work in order: every key in flight has a lane of its
/// own, which runs that key's work one piece after another and ends when none is left. Concurrency is therefore
/// independent of the partition count, which is what lets one instance keep a slow downstream system busy, and a busy
/// key never holds up another key's work. How much is in flight is the caller's to limit (the consumer pauses its
/// partitions); dispatching never blocks.
/// </summary>
public sealed class KeyOrderedLanes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Func<Task>>> _busyKeys = [];

    /// <summary>Keys with work running or waiting.</summary>
    public int BusyKeys
    {
        get
        {
            lock (_gate)
            {
                return _busyKeys.Count;
            }
        }
    }

    /// <summary>Starts the work now, or after the work with the same key that came before it. Work without a key starts now.</summary>
    /// <param name="work">Handles its own outcome; an exception it lets escape ends only that piece of work.</param>
    public void Dispatch(string? key, Func<Task> work)
    {
        if (key is not null)
        {
            lock (_gate)
            {
                if (_busyKeys.TryGetValue(key, out var waiting))
                {
                    waiting.Enqueue(work);
                    return;
                }

                _busyKeys[key] = new Queue<Func<Task>>();
            }
        }

        _ = Task.Run(() => RunLaneAsync(key, work));
    }

    private async Task RunLaneAsync(string? key, Func<Task> first)
    {
        for (var work = first; work is not null; work = NextFor(key))
        {
            try
            {
                await work();
            }
            catch (Exception)
            {
                // The work reports its own failures; the lane goes on with the key's next piece.
            }
        }
    }

    /// <summary>The key's next waiting work, or null after closing the key's lane.</summary>
    private Func<Task>? NextFor(string? key)
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
