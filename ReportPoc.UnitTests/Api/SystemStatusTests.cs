using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReportPoc.Api.Monitoring;
using ReportPoc.Api.Submissions;
using ReportPoc.Reports.Data;
using ReportPoc.Reports.Lp;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Api;

/// <summary>
/// GET /api/system is served from a snapshot: however many ask at once, LP, Kafka and the database are measured once,
/// and what went wrong is never in the answer. The Api runs in-process; LP answers through a counting handler, Kafka and
/// the database point nowhere (those parts are null).
/// </summary>
public sealed class SystemStatusTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyParallelReadersCauseOneMeasurement()
    {
        // An answer, not a failure: the LP client's read retries would repeat a failed call within one measurement.
        var lp = new CountingLp(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") });
        await using var api = ApiIn("Development", lp);
        using var client = api.CreateClient();

        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => client.GetAsync("/api/system", Cancellation)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.Equal(1, lp.Calls);
        var bodies = await Task.WhenAll(answers.Select(answer => answer.Content.ReadAsStringAsync(Cancellation)));
        Assert.Single(bodies.Distinct());
    }

    [Fact]
    public async Task AnUnreachablePartIsNullAndTheAnswerCarriesNoExceptionText()
    {
        var lp = new CountingLp(_ => throw new HttpRequestException("Connection refused (localhost:5198)"));
        await using var api = ApiIn("Development", lp);
        using var client = api.CreateClient();

        using var answer = await client.GetAsync("/api/system", Cancellation);
        var body = await answer.Content.ReadAsStringAsync(Cancellation);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("\"lp\":null", body);
        Assert.Contains("\"backlog\":null", body);
        Assert.DoesNotContain("refused", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain("localhost", body);
    }

    [Theory]
    [InlineData("Production", HttpStatusCode.NotFound)]
    [InlineData("Development", HttpStatusCode.OK)]
    public async Task OutsideDevelopmentOnlyOperatorsWhoSwitchItOnCanReadIt(string environment, HttpStatusCode expected)
    {
        await using var api = ApiIn(environment, new CountingLp(_ => throw new HttpRequestException("down")));
        using var client = api.CreateClient();

        using var answer = await client.GetAsync("/api/system", Cancellation);

        Assert.Equal(expected, answer.StatusCode);
    }

    [Fact]
    public async Task APausesReasonIsAFixedTextNotTheProcessorsException()
    {
        await using (var db = postgres.CreateContext())
        {
            db.ProcessorInstances.Add(new ProcessorInstance
            {
                InstanceId = "processor-" + Guid.NewGuid().ToString("N"), StartedAt = DateTimeOffset.UtcNow, SeenAt = DateTimeOffset.UtcNow,
                Partitions = [0], MaxInFlight = 4, PausedFor = "LP", PausedSince = DateTimeOffset.UtcNow,
                PauseReason = "HttpRequestException: Connection refused (localhost:5198)",
            });
            await db.SaveChangesAsync(Cancellation);
        }

        await using var probeDb = postgres.CreateContext();
        var status = await new ProcessingProbe(probeDb, TimeProvider.System).MeasureAsync(backlog: null, lp: null, Cancellation);

        Assert.NotNull(status.Pause);
        Assert.Equal("LP is unavailable: the processors wait, probe it and resume by themselves.", status.Pause.Reason);
        Assert.All(status.Instances, instance => Assert.DoesNotContain("refused", instance.PauseReason ?? ""));
    }

    private static WebApplicationFactory<StatusTokens> ApiIn(string environment, CountingLp lp) => new WebApplicationFactory<StatusTokens>()
        .WithWebHostBuilder(host => host
            .UseEnvironment(environment)
            .UseSetting("ConnectionStrings:kafka", "127.0.0.1:1")
            .UseSetting("ConnectionStrings:reports", "Host=127.0.0.1;Port=1;Database=reports;Timeout=1")
            .UseSetting("StatusTokens:Key", new string('k', 32))
            .UseSetting("Messaging:ConsumerGroup", "report-processor")
            .ConfigureTestServices(services => services.AddHttpClient<LpClient>().ConfigurePrimaryHttpMessageHandler(() => lp)));

    /// <summary>LP's side of the Api's LP client: counts the calls and answers as the test says.</summary>
    private sealed class CountingLp(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(answer(request));
        }
    }
}
