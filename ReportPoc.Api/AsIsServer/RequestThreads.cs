using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ReportPoc.Api.AsIsServer;

/// <summary>Configuration section <c>AsIsServer</c>: the emulated thread-per-request server's request threads.</summary>
public sealed class AsIsServerOptions
{
    public const string Section = "AsIsServer";

    /// <summary>
    /// How many requests the emulated server works on at once (a servlet container's maxThreads); the rest wait in
    /// arrival order. The as-is server's real figure is unknown; with more slow requests than threads, everything
    /// behind them waits, which is what the collateral benchmark shows.
    /// </summary>
    [Range(1, 10_000)]
    public int RequestThreads { get; set; } = 32;
}

/// <summary>
/// EXISTS ONLY TO EMULATE THE AS-IS SERVER for the collateral benchmark (docs/benchmarks.md): a bounded pool of
/// dedicated request threads, each running one request at a time with blocking calls, as a thread-per-request server
/// does. ASP.NET Core itself never works like this; nothing but the /api/as-is routes uses it. The threads start on
/// first use, so a system that never serves those routes does not carry them.
/// </summary>
public sealed class RequestThreads(IOptions<AsIsServerOptions> options) : IDisposable
{
    private readonly BlockingCollection<Action> _queue = [];
    private readonly Lock _gate = new();
    private bool _started;

    /// <summary>Runs <paramref name="request"/> on a request thread once one is free; the thread is held until it returns.</summary>
    public Task<T> RunAsync<T>(Func<T> request)
    {
        EnsureStarted();
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(() =>
        {
            try
            {
                done.SetResult(request());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }

    private void EnsureStarted()
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            for (var i = 0; i < options.Value.RequestThreads; i++)
            {
                new Thread(Serve) { IsBackground = true, Name = $"as-is request thread {i + 1}" }.Start();
            }

            _started = true;
        }
    }

    private void Serve()
    {
        try
        {
            foreach (var request in _queue.GetConsumingEnumerable())
            {
                request();
            }
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _queue.Dispose();
    }
}
