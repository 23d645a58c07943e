using Microsoft.Extensions.Options;

namespace ReportPoc.LpMock.Simulation;

/// <summary>
/// LP's slots for concurrent LPRUN executions, resizable while runs wait and execute. Raising the capacity admits
/// waiting runs at once; lowering it lets running ones finish and admits no new one until the count is below the
/// new capacity. Waiters are admitted in arrival order, as a saturated system would queue them.
/// </summary>
public sealed class RunCapacity(IOptions<LpOptions> options)
{
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource> _waiting = new();
    private int _capacity = options.Value.Capacity;
    private int _inUse;

    public int Capacity
    {
        get
        {
            lock (_gate)
            {
                return _capacity;
            }
        }
    }

    public async Task AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource slot;
        LinkedListNode<TaskCompletionSource> node;
        lock (_gate)
        {
            if (_inUse < _capacity && _waiting.Count == 0)
            {
                _inUse++;
                return;
            }

            slot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiting.AddLast(slot);
        }

        try
        {
            await slot.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    throw;
                }
            }

            // Admitted just as the wait was cancelled: hand the slot on.
            Release();
            throw;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _inUse--;
            AdmitWaiters();
        }
    }

    public void Resize(int capacity)
    {
        lock (_gate)
        {
            _capacity = capacity;
            AdmitWaiters();
        }
    }

    private void AdmitWaiters()
    {
        while (_inUse < _capacity && _waiting.First is { } next)
        {
            _waiting.RemoveFirst();
            _inUse++;
            next.Value.SetResult();
        }
    }
}
