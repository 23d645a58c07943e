namespace ReportPoc.UnitTests.Support;

/// <summary>A host whose wall clock is off by <paramref name="skew"/>; its timers run at the real pace.</summary>
public sealed class SkewedClock(TimeSpan skew) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + skew;
}
