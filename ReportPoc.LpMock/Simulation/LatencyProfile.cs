using Microsoft.Extensions.Options;

namespace ReportPoc.LpMock.Simulation;

/// <summary>Draws how long each LP operation takes: typical value ± jitter, times the current slowdown.</summary>
public sealed class LatencyProfile(IOptions<LpOptions> options, LpFaultSwitch faults)
{
    private readonly LpOptions _profile = options.Value;

    public TimeSpan NextSetQueue() => Draw(_profile.SetQueueLatencyMs);

    public TimeSpan NextLpRun() => Draw(_profile.LpRunLatencyMs);

    private TimeSpan Draw(int typicalMs)
    {
        var jitter = 1 + _profile.JitterRatio * (2 * Random.Shared.NextDouble() - 1);
        return TimeSpan.FromMilliseconds(typicalMs * jitter * faults.Current.SlowdownFactor);
    }
}
