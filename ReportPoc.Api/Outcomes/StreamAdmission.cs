namespace ReportPoc.Api.Outcomes;

/// <summary>Why a stream was not opened: its client holds its share already, or this instance holds all it may.</summary>
public enum StreamRefusal
{
    None,
    ClientLimit,
    InstanceLimit,
}

/// <summary>
/// Counts the open report streams of this instance, per client and in all, and admits a new one only within both
/// bounds. A lease is given back exactly once, however often it is disposed.
/// </summary>
public sealed class StreamAdmission(int maxPerClient, int maxPerInstance)
{
    private readonly Dictionary<string, int> _perClient = [];
    private readonly Lock _lock = new();
    private int _open;

    public int Open
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    public StreamRefusal TryAdmit(string client, out IDisposable? lease)
    {
        lock (_lock)
        {
            lease = null;
            if (_open >= maxPerInstance)
            {
                return StreamRefusal.InstanceLimit;
            }

            var held = _perClient.GetValueOrDefault(client);
            if (held >= maxPerClient)
            {
                return StreamRefusal.ClientLimit;
            }

            _perClient[client] = held + 1;
            _open++;
            lease = new Lease(this, client);
            return StreamRefusal.None;
        }
    }

    private void Release(string client)
    {
        lock (_lock)
        {
            _open--;
            if (--_perClient[client] == 0)
            {
                _perClient.Remove(client);
            }
        }
    }

    private sealed class Lease(StreamAdmission admission, string client) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                admission.Release(client);
            }
        }
    }
}
