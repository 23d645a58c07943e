using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace ReportPoc.UnitTests.ServiceDefaults;

public sealed class RateLimitedSamplerTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void RecordsUpToTheCapInASecondAndDropsTheRest()
    {
        var sampler = new RateLimitedSampler(new AlwaysOnSampler(), maxPerSecond: 3, _time);

        var decisions = Enumerable.Range(0, 5).Select(_ => Decide(sampler)).ToList();

        Assert.Equal([SamplingDecision.RecordAndSample, SamplingDecision.RecordAndSample, SamplingDecision.RecordAndSample,
            SamplingDecision.Drop, SamplingDecision.Drop], decisions);
    }

    [Fact]
    public void RecordsAgainAsTheSecondPasses()
    {
        var sampler = new RateLimitedSampler(new AlwaysOnSampler(), maxPerSecond: 2, _time);
        Decide(sampler);
        Decide(sampler);
        Assert.Equal(SamplingDecision.Drop, Decide(sampler));

        _time.Advance(TimeSpan.FromMilliseconds(500)); // half a second refills one of two

        Assert.Equal(SamplingDecision.RecordAndSample, Decide(sampler));
        Assert.Equal(SamplingDecision.Drop, Decide(sampler));
    }

    [Fact]
    public void AQuietPeriodSavesNoMoreThanOneSecondsWorth()
    {
        var sampler = new RateLimitedSampler(new AlwaysOnSampler(), maxPerSecond: 2, _time);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => Decide(sampler) == SamplingDecision.RecordAndSample));
    }

    [Fact]
    public void WhatTheInnerSamplerDropsSpendsNothing()
    {
        var sampler = new RateLimitedSampler(new EveryOther(), maxPerSecond: 1, _time);

        Assert.Equal([SamplingDecision.Drop, SamplingDecision.RecordAndSample, SamplingDecision.Drop, SamplingDecision.Drop],
            Enumerable.Range(0, 4).Select(_ => Decide(sampler)).ToList());
    }

    private static SamplingDecision Decide(Sampler sampler) => sampler.ShouldSample(
        new SamplingParameters(default, ActivityTraceId.CreateRandom(), "root", ActivityKind.Server)).Decision;

    /// <summary>Drops the first root, records the second, and so on.</summary>
    private sealed class EveryOther : Sampler
    {
        private int _calls;

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            new(++_calls % 2 == 0 ? SamplingDecision.RecordAndSample : SamplingDecision.Drop);
    }
}
