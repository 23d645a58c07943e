using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using ReportPoc.Contracts;

[assembly: AssemblyFixture(typeof(ReportPoc.Tests.Infrastructure.ReportPocApp))]

namespace ReportPoc.Tests.Infrastructure;

/// <summary>
/// One running ReportPoc (the real AppHost, local infrastructure mode) shared by every test in the run: start-up
/// costs seconds, and the scenarios use distinct reports so they do not disturb one another.
/// A fast LP profile keeps the suite short; the default profile is what the benchmark and a person see.
/// </summary>
public sealed class ReportPocApp : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The services every test depends on; each must reach Healthy (the processor instances are checked through the Api).</summary>
    public static readonly string[] Services = [ResourceNames.DevBroker, ResourceNames.Postgres, ResourceNames.LpMock, ResourceNames.Api];

    /// <summary>Partitions of reports.submitted in the suite's app.</summary>
    public const int Partitions = 6;

    /// <summary>The suite's per-client rate limit: generous for every test's own pace, low enough to be met on purpose.</summary>
    public const int RateLimitPerSecond = 100;

    public const int RateLimitBurst = 200;

    /// <summary>Report streams one client may hold open: few, so a test can meet the bound on purpose.</summary>
    public const int StreamsPerClient = 6;

    /// <summary>How often an idle report stream says it is alive: short, so a test sees heartbeats within seconds.</summary>
    public static readonly TimeSpan StreamHeartbeat = TimeSpan.FromSeconds(1);

    /// <summary>How long the compatibility endpoint's bridge waits for an outcome: ample for the fast LP profile, short of a slowed LP.</summary>
    public static readonly TimeSpan BridgeWait = TimeSpan.FromSeconds(3);

    /// <summary>Processor instances the suite's app declares; one runs at start, tests add the others.</summary>
    public const int MaxProcessors = 3;

    /// <summary>
    /// A smaller chaos drill than the AppHost's default (1,000 reports, LP down 2 min, PostgreSQL down 60 s, a processor
    /// frozen 40 s), so the suite stays short; the freeze still outlasts the consumer session (10 s), not the claim's lease. A 5% rejection rate makes a run without a single refused report among 150 practically impossible
    /// (0.95^150 ≈ 0.05%). Its record goes to a file of its own, so the suite never replaces the full drill's record that
    /// the evidence report reads. REPORTPOC_CHAOS=full runs the full drill through the tests (scripts/evidence.sh), and
    /// its record goes where the report reads it (the default Chaos:ResultPath).
    /// </summary>
    private static string[] SmallChaosDrill => Environment.GetEnvironmentVariable("REPORTPOC_CHAOS") == "full"
        ? []
        : ["Chaos:Reports=150", "Chaos:SubmitPerSecond=25", "Chaos:LpRejectRate=0.05", "Chaos:LpOutage=00:00:25", "Chaos:PostgresDown=00:00:15",
           "Chaos:ProcessorFreeze=00:00:15",
           "Chaos:SettleBound=00:02:00", $"Chaos:ResultPath={SuiteChaosRecord}"];

    /// <summary>The reduced drill's record, relative to the repository root like every Chaos:ResultPath.</summary>
    public static readonly string SuiteChaosRecord = Path.Combine("artifacts", "chaos", "suite-result.json");

    /// <summary>
    /// The suite's LP profile (LPRUN ≈150 ms instead of ≈1 s). scripts/screenshots.sh sets REPORTPOC_LP_PROFILE=default
    /// so the README's pictures show the latencies a person sees.
    /// </summary>
    private static string[] FastLpProfile => Environment.GetEnvironmentVariable("REPORTPOC_LP_PROFILE") == "default"
        ? []
        : ["Lp:SetQueueLatencyMs=20", "Lp:LpRunLatencyMs=150", "Lp:JitterRatio=0.1", "Lp:Capacity=8"];

    /// <summary>The stand-ins' admin secret for this run: the AppHost's parameter, set here so the tests can send it too.</summary>
    public static readonly string StandInAdminKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public HttpClient Api { get; private set; } = null!;

    public HttpClient Lp { get; private set; } = null!;

    public DashboardTelemetry Telemetry { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReportPoc_AppHost>(
            new DistributedApplicationTestingBuilderOptions { EnableDashboard = true },
            [
                $"AppHost:DashboardApiKey={DashboardTelemetry.ApiKey}",
                $"Parameters:{StandInAdmin.ParameterName}={StandInAdminKey}",
                "Infrastructure:Mode=local",
                "Infrastructure:DevBrokerPort=0",
                $"Infrastructure:TopicPartitions={Partitions}",
                "Processor:Replicas=1",
                $"RateLimiting:SubmissionsPerSecond={RateLimitPerSecond}",
                $"RateLimiting:Burst={RateLimitBurst}",
                "Demo:ListRecentReports=true", // the dead-letter tests find reports put on Kafka directly (no status URL) in the list
                $"Processor:MaxReplicas={MaxProcessors}",
                $"ReportEvents:MaxStreamsPerClient={StreamsPerClient}",
                $"ReportEvents:HeartbeatInterval={StreamHeartbeat}",
                $"Compatibility:BridgeWait={BridgeWait}",
                .. FastLpProfile,
                .. SmallChaosDrill,
            ],
            timeout.Token);

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);

        foreach (var service in Services)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
        }

        // Every answer the tests receive from the Api is checked against the OpenAPI document it serves.
        Api = await OpenApiConformance.CreateClientAsync(_app.GetEndpoint(ResourceNames.Api), timeout.Token);
        Lp = StandInClient(ResourceNames.LpMock);
        Telemetry = await DashboardTelemetry.ConnectAsync(_app, timeout.Token);
        await this.WaitForProcessorsAsync(status => status.Instances.Count == 1 && ProcessorPool.OwnsEveryPartitionOnce(status), StartupTimeout);
    }

    /// <summary>A client of a stand-in (LpMock, the dev broker) that may use its admin controls, as the AppHost's commands do.</summary>
    public HttpClient StandInClient(string resource)
    {
        var client = App.CreateHttpClient(resource);
        client.DefaultRequestHeaders.Add(StandInAdmin.KeyHeader, StandInAdminKey);
        return client;
    }

    /// <summary>
    /// After the dev broker was down: waits until the Api accepts a report again, so that the next test finds the app as
    /// it was. The Api's producer reconnects after librdkafka's backoff (at most reconnect.backoff.max.ms, 10 s) and a
    /// metadata round, possibly later than the processor's clients did.
    /// </summary>
    public async Task UntilTheApiAcceptsAgainAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await Api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody("Api accepts again"), out _),
                TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The Api still answers {(int)response.StatusCode} 30 s after the broker came back");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    public async Task<string> KafkaBootstrapServersAsync() =>
        await App.GetConnectionStringAsync(ResourceNames.Kafka) ?? throw new InvalidOperationException("No Kafka connection string.");

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        Lp?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
