using System.Diagnostics;

namespace ReportPoc.Benchmark.Load;

/// <summary>
/// Open-loop load: the i-th call starts at i ÷ rate whatever happened to the earlier ones, so a slow server cannot slow
/// the load down and hide its own slowness. Returns every call's result once all have finished.
/// </summary>
public static class OpenLoop
{
    public static async Task<IReadOnlyList<T>> RunAsync<T>(double perSecond, TimeSpan duration, Func<int, Task<T>> call, Action<double> onProgress,
        CancellationToken cancellationToken)
    {
        var count = Math.Max(1, (int)Math.Round(perSecond * duration.TotalSeconds));
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var started = Stopwatch.GetTimestamp();
        var calls = new List<Task<T>>(count);
        for (var i = 0; i < count; i++)
        {
            var due = interval * i - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            var index = i;
            calls.Add(Task.Run(() => call(index), CancellationToken.None));
            onProgress((i + 1.0) / count);
        }

        return await Task.WhenAll(calls);
    }
}
