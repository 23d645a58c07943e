using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Records at most <paramref name="maxPerSecond"/> new traces a second (a token bucket holding one second's worth), of
/// those <paramref name="inner"/> chooses; the others are dropped whole, here, before any span is built. Below the cap
/// every trace is recorded, as a person following requests in the dashboard wants. Above it the dashboard gets what it
/// can store: offered every trace at 5,000 accepted reports a second it kept about one in four, the rest dropped span
/// by span from the exporter's full queue (traces with holes), and spent half a core doing it (docs/benchmarks.md).
/// </summary>
public sealed class RateLimitedSampler : Sampler
{
    private readonly Sampler _inner;
    private readonly double _maxPerSecond;
    private readonly TimeProvider _time;
    private readonly Lock _bucket = new();
    private double _tokens;
    private long _refilledAt;

    public RateLimitedSampler(Sampler inner, double maxPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerSecond);
        (_inner, _maxPerSecond, _time) = (inner, maxPerSecond, time);
        _tokens = maxPerSecond;
        _refilledAt = time.GetTimestamp();
        Description = $"RateLimited{{{maxPerSecond}/s,{inner.Description}}}";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var chosen = _inner.ShouldSample(samplingParameters);
        if (chosen.Decision == SamplingDecision.Drop)
        {
            return chosen;
        }

        lock (_bucket)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_maxPerSecond, _tokens + _time.GetElapsedTime(_refilledAt, now).TotalSeconds * _maxPerSecond);
            _refilledAt = now;
            if (_tokens < 1)
            {
                return new SamplingResult(SamplingDecision.Drop);
            }

            _tokens -= 1;
            return chosen;
        }
    }
}
