using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace ReportPoc.DevBroker.MockCluster;

/// <summary>Configuration section <c>DevBroker</c>, set by the AppHost.</summary>
public sealed class DevBrokerOptions
{
    public const string Section = "DevBroker";

    /// <summary>The fixed port Kafka clients connect to (the mock itself listens on a random one).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 65535)]
    public int Port { get; set; } = 19092;

    /// <summary>Topics to create, as "name:partitions,name:partitions".</summary>
    [System.ComponentModel.DataAnnotations.RegularExpression(@"^([^:,\s]+(:\d+)?)(,[^:,\s]+(:\d+)?)*$|^$")]
    public string Topics { get; set; } = "";
}

public sealed record BrokerTopic(string Name, int Partitions);

public sealed record BrokerState(string State, int Port, IReadOnlyList<BrokerTopic> Topics, string Kind, int LatencyMs);

/// <summary>
/// Hosts librdkafka's mock cluster (one broker) and a TCP forwarder on the fixed port; the broker advertises that
/// port in its metadata, so clients in other processes use it like any Kafka broker. In memory: gone when this
/// process exits. Down/up simulate a broker outage: the mock drops its connections and the forwarder refuses new ones.
/// </summary>
public sealed class DevKafkaCluster(IOptions<DevBrokerOptions> settings, ILogger<DevKafkaCluster> logger) : IHostedService, IDisposable
{
    private const int BrokerId = 1;
    private const string Kind = "librdkafka mock cluster (in-memory dev broker) - not for production";

    private readonly DevBrokerOptions _options = settings.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private IntPtr _handle;
    private IntPtr _cluster;
    private int _mockPort;
    private TcpListener? _listener;
    private volatile bool _down;
    private volatile int _latencyMs;

    public IReadOnlyList<BrokerTopic> Topics { get; } = ParseTopics(settings.Value.Topics);

    public BrokerState State => new(_down ? "down" : "up", _options.Port, Topics, Kind, _latencyMs);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = LibrdkafkaMock.rd_kafka_new(0, LibrdkafkaMock.rd_kafka_conf_new(), IntPtr.Zero, 0);
        _cluster = _handle == IntPtr.Zero ? IntPtr.Zero : LibrdkafkaMock.rd_kafka_mock_cluster_new(_handle, 1);
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka could not create a mock cluster.");
        }

        // Without a controller, admin and metadata requests hang; the default 3 s first-join delay slows every start.
        LibrdkafkaMock.rd_kafka_mock_set_controller_id(_cluster, BrokerId);
        LibrdkafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);
        foreach (var topic in Topics)
        {
            LibrdkafkaMock.rd_kafka_mock_topic_create(_cluster, topic.Name, topic.Partitions, 1);
        }

        var bootstraps = Marshal.PtrToStringUTF8(LibrdkafkaMock.rd_kafka_mock_cluster_bootstraps(_cluster))!;
        _mockPort = int.Parse(bootstraps.Split(',')[0].Split(':')[^1]);
        LibrdkafkaMock.rd_kafka_mock_broker_set_host_port(_cluster, BrokerId, "127.0.0.1", _options.Port);

        _listener = new TcpListener(IPAddress.Loopback, _options.Port);
        _listener.Start(backlog: 512);
        _ = AcceptAsync(_listener, _stopping.Token);

        logger.LogInformation("In-memory dev broker (librdkafka mock cluster, not for production) on 127.0.0.1:{Port}; topics {Topics}",
            _options.Port, string.Join(", ", Topics.Select(t => $"{t.Name} ({t.Partitions})")));
        return Task.CompletedTask;
    }

    public void SetDown()
    {
        _down = true;
        LibrdkafkaMock.rd_kafka_mock_broker_set_down(_cluster, BrokerId);
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        logger.LogWarning("Dev broker is DOWN (simulated outage)");
    }

    public void SetUp()
    {
        LibrdkafkaMock.rd_kafka_mock_broker_set_up(_cluster, BrokerId);
        _down = false;
        logger.LogInformation("Dev broker is UP");
    }

    /// <summary>
    /// Delays every answer of the broker by this much: requests are carried out at once, their answers come late. With
    /// more than a producer's message timeout, a message lands while its sender times out ("outcome unknown").
    /// </summary>
    public void SetLatency(int milliseconds)
    {
        LibrdkafkaMock.rd_kafka_mock_broker_set_rtt(_cluster, BrokerId, milliseconds);
        _latencyMs = milliseconds;
        logger.LogWarning("Dev broker answers {Latency} ms late (simulated latency)", milliseconds);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (_down)
            {
                client.Dispose();
                continue;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        _connections[client] = 0;
        _connections[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _mockPort, cancellationToken);
            var clientStream = client.GetStream();
            var upstreamStream = upstream.GetStream();
            // When either direction ends, close both: Kafka clients reconnect on their own.
            await Task.WhenAny(clientStream.CopyToAsync(upstreamStream, cancellationToken), upstreamStream.CopyToAsync(clientStream, cancellationToken));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _connections.TryRemove(client, out _);
            _connections.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _listener?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // The mock cluster must go before the handle that owns it.
        if (_cluster != IntPtr.Zero)
        {
            LibrdkafkaMock.rd_kafka_mock_cluster_destroy(_cluster);
            _cluster = IntPtr.Zero;
        }

        if (_handle != IntPtr.Zero)
        {
            LibrdkafkaMock.rd_kafka_destroy(_handle);
            _handle = IntPtr.Zero;
        }

        _stopping.Dispose();
    }

    private static List<BrokerTopic> ParseTopics(string topics) => topics
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(topic => topic.Split(':'))
        .Select(parts => new BrokerTopic(parts[0], parts.Length > 1 ? int.Parse(parts[1]) : 1))
        .ToList();
}
