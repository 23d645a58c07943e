using ReportPoc.Api.Outcomes;

namespace ReportPoc.UnitTests.Api;

public sealed class StreamAdmissionTests
{
    [Fact]
    public void AClientPastItsShareIsRefusedWhileOthersAreStillAdmitted()
    {
        var admission = new StreamAdmission(maxPerClient: 2, maxPerInstance: 10);

        Assert.Equal(StreamRefusal.None, admission.TryAdmit("a", out _));
        Assert.Equal(StreamRefusal.None, admission.TryAdmit("a", out _));
        Assert.Equal(StreamRefusal.ClientLimit, admission.TryAdmit("a", out var refused));
        Assert.Null(refused);
        Assert.Equal(StreamRefusal.None, admission.TryAdmit("b", out _));
        Assert.Equal(3, admission.Open);
    }

    [Fact]
    public void TheInstanceBoundHoldsAcrossClients()
    {
        var admission = new StreamAdmission(maxPerClient: 5, maxPerInstance: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(StreamRefusal.None, admission.TryAdmit($"client-{i}", out _));
        }

        Assert.Equal(StreamRefusal.InstanceLimit, admission.TryAdmit("client-new", out _));
    }

    [Fact]
    public void AClosedStreamFreesItsPlaceOnceHoweverOftenItIsDisposed()
    {
        var admission = new StreamAdmission(maxPerClient: 1, maxPerInstance: 2);
        admission.TryAdmit("a", out var first);
        admission.TryAdmit("b", out _);

        first!.Dispose();
        first.Dispose();

        Assert.Equal(1, admission.Open);
        Assert.Equal(StreamRefusal.None, admission.TryAdmit("a", out _));
        Assert.Equal(StreamRefusal.InstanceLimit, admission.TryAdmit("c", out _));
    }
}
