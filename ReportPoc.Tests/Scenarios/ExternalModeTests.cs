using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Aspire.Hosting;
using Confluent.Kafka;
using Npgsql;
using ReportPoc.AppHost.Infrastructure;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Messaging;
using ReportPoc.Contracts.Reports;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.Tests.Scenarios;

/// <summary>
/// External mode for real: a Kafka broker and a PostgreSQL server the AppHost does not start (the dev broker and a
/// private server, each a process of its own), and a second AppHost in external mode that is only given their
/// connection strings. Torn down when the test ends; the suite's shared app is not involved.
/// </summary>
public sealed class ExternalModeTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReportsCompleteBothWaysOnKafkaAndPostgresTheAppHostWasOnlyToldAbout()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartupTimeout);
        var topics = new[] { KafkaTopics.Submitted, KafkaTopics.DeadLetter };
        const int partitions = 3;

        await using var broker = OwnedProcess.Start("dotnet",
            ["run", "--project", new Projects.ReportPoc_DevBroker().ProjectPath, "--no-build", "--no-launch-profile", "-c", BuildConfiguration],
            new() { ["DevBroker__Port"] = FreePort().ToString(), ["DevBroker__Topics"] = string.Join(",", topics.Select(topic => $"{topic}:{partitions}")), ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
        var bootstrapServers = $"127.0.0.1:{broker.Environment["DevBroker__Port"]}";

        var dataDirectory = Path.Combine(Path.GetTempPath(), "reportpoc", $"external-postgres-{Guid.NewGuid():N}");
        await using var postgres = OwnedProcess.Start("bash", [Path.Combine(AppContext.BaseDirectory, "Infrastructure", "local-postgres.sh")],
            new() { ["PGBIN"] = ReportsDatabaseExtensions.FindPostgresBinaries(), ["PGDATA"] = dataDirectory, ["PGPORT"] = FreePort().ToString(), ["PGDATABASE"] = ResourceNames.ReportsDatabase },
            interruptFirst: true, cleanUp: () => { if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true); });
        var reportsConnectionString = $"Host=127.0.0.1;Port={postgres.Environment["PGPORT"]};Username=postgres;Database={ResourceNames.ReportsDatabase}";

        // Both answer before the AppHost starts, as an existing cluster and server would.
        await WaitUntilAsync(() => TopicsExist(bootstrapServers, topics), broker, timeout.Token);
        await WaitUntilAsync(() => Accepts(reportsConnectionString, timeout.Token), postgres, timeout.Token);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ReportPoc_AppHost>(
        [
            "Infrastructure:Mode=external",
            $"Infrastructure:TopicPartitions={partitions}",
            $"ConnectionStrings:{ResourceNames.Kafka}={bootstrapServers}",
            $"ConnectionStrings:{ResourceNames.ReportsDatabase}={reportsConnectionString}",
        ], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);

        // Kafka's health check finds the topics the broker already has; the Api waits for it, the database and LP.
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Kafka, timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ResourceNames.Api, timeout.Token);
        var cancellation = TestContext.Current.CancellationToken;
        using var api = await OpenApiConformance.CreateClientAsync(app.GetEndpoint(ResourceNames.Api), cancellation);

        using var sync = await api.SendAsync(Reports.Submit("/api/reports/sync", Reports.ValidBody(), out _), cancellation);
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
        Assert.Equal(ReportStatus.Completed, (await sync.ReadReportAsync()).Status);

        using var accepted = await api.SendAsync(Reports.Submit("/api/reports", Reports.ValidBody(), out _), cancellation);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var report = await api.WaitUntilFinishedAsync(accepted.Headers.Location!.ToString(), CompletionTimeout);
        Assert.Equal(ReportStatus.Completed, report.Status);
        Assert.Equal(ReportPath.Async, report.Path);

        // The work went through the services given: one message on the broker's topic, both reports in the server.
        Assert.Equal(1, MessagesOn(bootstrapServers, KafkaTopics.Submitted, partitions));
        await using var connection = new NpgsqlConnection(reportsConnectionString);
        await connection.OpenAsync(cancellation);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM reports", connection);
        Assert.Equal(2L, await count.ExecuteScalarAsync(cancellation));
    }

    private static string BuildConfiguration =>
        typeof(ExternalModeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<bool> TopicsExist(string bootstrapServers, string[] topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        try
        {
            var existing = admin.GetMetadata(TimeSpan.FromSeconds(2)).Topics.Where(topic => topic.Error.Code == ErrorCode.NoError).Select(topic => topic.Topic);
            return Task.FromResult(topics.All(existing.Contains));
        }
        catch (KafkaException)
        {
            return Task.FromResult(false);
        }
    }

    private static async Task<bool> Accepts(string connectionString, CancellationToken cancellation)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellation);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static long MessagesOn(string bootstrapServers, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "external-mode-test" }).Build();
        return Enumerable.Range(0, partitions)
            .Sum(partition => consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(5)).High.Value);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> ready, OwnedProcess process, CancellationToken cancellation)
    {
        while (!await ready())
        {
            Assert.False(process.HasExited, $"{process} exited:\n{process.Output}");
            await Task.Delay(250, cancellation);
        }
    }

    /// <summary>A process this test started and stops (with everything it started) when disposed.</summary>
    private sealed class OwnedProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly bool _interruptFirst;
        private readonly Action? _cleanUp;

        private OwnedProcess(Process process, Dictionary<string, string> environment, bool interruptFirst, Action? cleanUp)
        {
            _process = process;
            Environment = environment;
            _interruptFirst = interruptFirst;
            _cleanUp = cleanUp;
        }

        public IReadOnlyDictionary<string, string> Environment { get; }

        public bool HasExited => _process.HasExited;

        public string Output { get { lock (_output) { return _output.ToString(); } } }

        /// <param name="interruptFirst">Stop with SIGINT first (PostgreSQL's fast shutdown), then kill what is left.</param>
        public static OwnedProcess Start(string fileName, string[] arguments, Dictionary<string, string> environment,
            bool interruptFirst = false, Action? cleanUp = null)
        {
            var startInfo = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }

            var owned = new OwnedProcess(new Process { StartInfo = startInfo }, environment, interruptFirst, cleanUp);
            owned._process.OutputDataReceived += (_, line) => owned.Append(line.Data);
            owned._process.ErrorDataReceived += (_, line) => owned.Append(line.Data);
            owned._process.Start();
            owned._process.BeginOutputReadLine();
            owned._process.BeginErrorReadLine();
            return owned;
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public override string ToString() => $"{_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)}";

        public async ValueTask DisposeAsync()
        {
            if (_interruptFirst && !_process.HasExited)
            {
                using var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString()]);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(grace.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            _cleanUp?.Invoke();
        }
    }
}
