using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace ReportPoc.UnitTests.ServiceDefaults;

/// <summary>
/// Telemetry:TraceSampleRatio and Telemetry:MaxTracesPerSecond, which the AppHost passes to every service, decide for
/// root spans and win over the OTEL_TRACES_SAMPLER=always_on that Aspire sets; a span whose parent was sampled is
/// recorded whatever the ratio and the cap.
/// Alone in its collection, run apart from the parallel ones: an ActivityListener another test holds meanwhile (they are
/// process-wide) would record the root span whatever this sampler decides.
/// </summary>
[Collection(nameof(TraceSamplingTests))]
public sealed class TraceSamplingTests
{
    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void RootSpansFollowTheConfiguredRatio(double ratio, bool recorded)
    {
        using var host = HostWithRatio(ratio);
        using var source = new ActivitySource("ReportPoc.UnitTests.Sampling");

        using var root = source.StartActivity("root");

        Assert.Equal(recorded, root?.Recorded ?? false);
    }

    [Fact]
    public void ASpanWithASampledParentIsRecordedEvenAtRatioZero()
    {
        using var host = HostWithRatio(0.0);
        using var source = new ActivitySource("ReportPoc.UnitTests.Sampling");
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        using var child = source.StartActivity("child", ActivityKind.Consumer, sampledParent);

        Assert.True(child?.Recorded);
    }

    [Theory]
    [InlineData(null, 20)]
    [InlineData("5", 5)]
    [InlineData("0", 60)]
    public void RootSpansBeyondTheCapInASecondAreNotRecorded(string? cap, int recorded)
    {
        using var host = HostWithRatio(1.0, cap);
        using var source = new ActivitySource("ReportPoc.UnitTests.Sampling");

        var recordedRoots = Enumerable.Range(0, 60).Count(_ =>
        {
            using var root = source.StartActivity("root"); // ended before the next starts: each is a root, not a child
            return root?.Recorded == true;
        });

        // Started within milliseconds: the bucket refills by at most one more while they start.
        Assert.InRange(recordedRoots, recorded, cap == "0" ? recorded : recorded + 1);
    }

    [Fact]
    public void ANegativeCapStopsTheStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[Extensions.MaxTracesPerSecondKey] = "-1";

        Assert.Throws<InvalidOperationException>(() => builder.AddServiceDefaults());
    }

    [Fact]
    public void ARatioOutsideZeroToOneStopsTheStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[Extensions.TraceSampleRatioKey] = "1.5";

        Assert.Throws<InvalidOperationException>(() => builder.AddServiceDefaults());
    }

    private static IHost HostWithRatio(double ratio, string? maxTracesPerSecond = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[Extensions.TraceSampleRatioKey] = ratio.ToString(CultureInfo.InvariantCulture);
        builder.Configuration[Extensions.MaxTracesPerSecondKey] = maxTracesPerSecond;
        builder.Configuration["OTEL_TRACES_SAMPLER"] = "always_on"; // as Aspire sets it for every service
        builder.AddServiceDefaults();
        var host = builder.Build();
        _ = host.Services.GetRequiredService<TracerProvider>(); // the SDK starts listening when the provider is built
        return host;
    }
}

[CollectionDefinition(nameof(TraceSamplingTests), DisableParallelization = true)]
public sealed class TraceSamplingCollection;
