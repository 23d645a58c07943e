using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Lp;
using ReportPoc.LpMock.Simulation;

namespace ReportPoc.UnitTests.Lp;

public sealed class LpFaultSwitchTests
{
    [Fact]
    public void WhetherAReportIsRejectedDependsOnlyOnItsId()
    {
        var ids = Ids(1_000);
        var first = Switch(rejectRate: 0.3);
        var second = Switch(rejectRate: 0.3);

        var verdicts = ids.Select(first.Rejects).ToArray();

        Assert.Equal(verdicts, ids.Select(first.Rejects));  // asked again
        Assert.Equal(verdicts, ids.Select(second.Rejects)); // asked another LP instance
        Assert.Contains(true, verdicts);
        Assert.Contains(false, verdicts);
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void TheShareOfRejectedReportsIsNearTheRate(double rate)
    {
        const int reports = 20_000;
        var share = Ids(reports).Count(Switch(rate).Rejects) / (double)reports;

        // Five standard deviations of a binomial share: a correct switch is this far off for about one set of ids in two
        // million (the ids are the same in every run, so the answer is too).
        var tolerance = 5 * Math.Sqrt(rate * (1 - rate) / reports);
        Assert.InRange(share, rate - tolerance, rate + tolerance);
    }

    [Fact]
    public void NoRateRejectsNothing() => Assert.DoesNotContain(true, Ids(1_000).Select(Switch(rejectRate: 0).Rejects));

    [Fact]
    public void ARaisedRateKeepsRejectingWhatItRejectedBefore()
    {
        var ids = Ids(2_000);
        var low = Switch(rejectRate: 0.05);
        var high = Switch(rejectRate: 0.2);

        Assert.All(ids.Where(low.Rejects), id => Assert.True(high.Rejects(id)));
    }

    private static LpFaultSwitch Switch(double rejectRate)
    {
        var faults = new LpFaultSwitch(Options.Create(new LpOptions()));
        faults.Set(new LpFaults(RejectRate: rejectRate));
        return faults;
    }

    /// <summary>Random-looking report ids, the same in every run.</summary>
    private static Guid[] Ids(int count)
    {
        var random = new Random(20261125);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        })];
    }
}
