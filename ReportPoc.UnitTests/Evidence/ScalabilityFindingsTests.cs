using ReportPoc.Benchmark.Scale;
using ReportPoc.Evidence.Assessment;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.UnitTests.Evidence;

/// <summary>
/// The two scalability findings can fail: LP-bound says whether the system is bounded by LP (1.00× is the honest
/// finding, more means LP was not the bound), consumer-bound whether a second instance nearly doubles throughput.
/// </summary>
public sealed class ScalabilityFindingsTests
{
    private static readonly Text Missing = Text.Same("not measured in this run: no burst");

    [Fact]
    public void OneInstanceFillingLpAndASecondAddingNothingIsBoundedByLp() =>
        Assert.True(ScalabilityFindings.LpBound(Burst(1, 8.1, lpBound: true), Burst(2, 8.1, lpBound: true), Missing).Met);

    [Fact]
    public void ASecondInstanceThatRaisesThroughputShowsLpWasNotTheBound() =>
        Assert.False(ScalabilityFindings.LpBound(Burst(1, 7.9, lpBound: true), Burst(2, 10.5, lpBound: true), Missing).Met);

    [Fact]
    public void OneInstanceLeavingLpIdleIsNotBoundedByLp() =>
        Assert.False(ScalabilityFindings.LpBound(Burst(1, 5.0, lpBound: true), Burst(2, 5.1, lpBound: true), Missing).Met);

    [Theory]
    [InlineData(17.6, 34.9, true)]
    [InlineData(17.6, 26.0, false)]
    public void ConsumerBoundScalingIsJudgedAgainstTheStatedRatio(double one, double two, bool met) =>
        Assert.Equal(met, ScalabilityFindings.ConsumerBound(Burst(1, one, lpBound: false), Burst(2, two, lpBound: false), Missing).Met);

    [Fact]
    public void AMissingBurstIsNotMeasuredAndSaysWhy()
    {
        var lp = ScalabilityFindings.LpBound(Burst(1, 8.1, lpBound: true), null, Missing);
        var consumers = ScalabilityFindings.ConsumerBound(null, Burst(2, 30, lpBound: false), Missing);

        Assert.Null(lp.Met);
        Assert.Null(consumers.Met);
        Assert.Equal(Missing, lp.Measured);
    }

    internal static ProcessorResult Burst(int instances, double perSecond, bool lpBound) => new(
        $"{instances} instances", lpBound, instances, Partitions: 6, LpCapacity: lpBound ? 8 : 1000, LpRunLatencyMs: 1000,
        LpLimitPerSecond: lpBound ? 8 : 1000, Reports: 240, Completed: 240, Failed: 0, perSecond, perSecond, MeanLpInFlight: 8, MeanProcessorInFlight: 8,
        ProcessorInFlightLimit: 32 * instances, MeanCpuBusy: 0.5, Bottleneck: null, Seconds: 30);
}
