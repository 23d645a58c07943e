using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ReportPoc.UnitTests.Kafka;

/// <summary>
/// Issue 13's thread creep: a health check (and its admin client) per probe, never disposed. Now one check per registration,
/// and its admin client lives for one probe.
/// </summary>
public sealed class KafkaHealthCheckTests
{
    [Fact]
    public async Task EachRegistrationHasOneHealthCheckThatEveryProbeReusesAndTheContainerDisposes()
    {
        using var cluster = new MockCluster();
        var builder = KafkaTestHost.Builder(
            ("ConnectionStrings:kafka", cluster.BootstrapServers),
            ("Aspire:Confluent:Kafka:Consumer:Config:GroupId", "test-group"));
        builder.AddKafkaProducer<string, byte[]>("kafka");
        builder.AddKafkaConsumer<string, byte[]>("kafka");
        var host = builder.Build();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["ReportPoc.Confluent.Kafka.Producer", "ReportPoc.Confluent.Kafka.Consumer"], report.Entries.Keys);

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var checks = registrations.Select(registration =>
        {
            using var probe = host.Services.CreateScope();
            var first = registration.Factory(probe.ServiceProvider);
            using var nextProbe = host.Services.CreateScope();
            Assert.Same(first, registration.Factory(nextProbe.ServiceProvider));
            return first;
        }).ToList();
        Assert.NotSame(checks[0], checks[1]);

        host.Dispose();
        foreach (var check in checks)
        {
            await Assert.ThrowsAsync<ObjectDisposedException>(() => check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void DisableHealthChecksLeavesTheHealthCheckOut()
    {
        var builder = KafkaTestHost.Builder(("ConnectionStrings:kafka", "127.0.0.1:1"));
        builder.AddKafkaProducer<string, string>("kafka", settings => settings.DisableHealthChecks = true);
        builder.AddKafkaConsumer<string, string>("kafka", settings => settings.Config.GroupId = "test-group");
        using var host = builder.Build();

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal(["ReportPoc.Confluent.Kafka.Consumer"], registrations.Select(registration => registration.Name));
    }
}
