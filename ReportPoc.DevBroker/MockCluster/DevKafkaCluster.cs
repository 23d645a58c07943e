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

    /// <summary>Brokers of the cluster; every topic is replicated to all of them (a production-like three by default).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 9)]
    public int Brokers { get; set; } = 3;

    /// <summary>Consumer groups whose coordinator moves off a broker taken down (as a real cluster's would), comma-separated.</summary>
    public string ConsumerGroups { get; set; } = "";
}

public sealed record BrokerTopic(string Name, int Partitions);

/// <param name="Leaders">Per topic, the broker that leads each partition (index = partition).</param>
/// <param name="MinInsyncReplicasEnforced">Always false: the mock keeps one log per partition and acks acks=all at the leader alone.</param>
public sealed record BrokerState(string State, int Port, IReadOnlyList<BrokerTopic> Topics, string Kind, int LatencyMs,
    IReadOnlyList<MockBroker> Brokers, int ReplicationFactor, IReadOnlyDictionary<string, int[]> Leaders, bool MinInsyncReplicasEnforced);

public sealed record MockBroker(int Id, string State, int Port);

/// <summary>
/// Hosts librdkafka's mock cluster (<see cref="DevBrokerOptions.Brokers"/> brokers, every topic replicated to all) and a
/// TCP forwarder on the fixed port for bootstrapping; it forwards to a broker that is up, and the brokers advertise their
/// own ports in the metadata, so clients in other processes use them like any Kafka cluster. In memory: gone when this
/// process exits. Down/up of the whole cluster simulates a Kafka outage; down/up of one broker a broker restart, with
/// what a controller does then (the mock does not): its partitions' leadership and the groups' coordinator move to a
/// broker that is up, and on its return it leads its own partitions again (a preferred-leader election).
/// </summary>
public sealed class DevKafkaCluster(IOptions<DevBrokerOptions> settings, ILogger<DevKafkaCluster> logger) : IHostedService, IDisposable
{
    private const string Kind = "librdkafka mock cluster (in-memory dev broker) - not for production";

    private readonly DevBrokerOptions _options = settings.Value;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private IntPtr _handle;
    private IntPtr _cluster;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int[]> _leaders = [];
    private int[] _mockPorts = [];
    private bool[] _up = [];
    private TcpListener? _listener;
    private volatile int _latencyMs;

    public IReadOnlyList<BrokerTopic> Topics { get; } = ParseTopics(settings.Value.Topics);

    private IReadOnlyList<string> ConsumerGroups { get; } = settings.Value.ConsumerGroups.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public BrokerState State
    {
        get
        {
            lock (_gate)
            {
                var state = _up.All(up => up) ? "up" : _up.Any(up => up) ? "degraded" : "down";
                return new BrokerState(state, _options.Port, Topics, Kind, _latencyMs,
                    [.. _up.Select((up, index) => new MockBroker(index + 1, up ? "up" : "down", _mockPorts[index]))],
                    _options.Brokers, _leaders.ToDictionary(topic => topic.Key, topic => topic.Value.ToArray()), MinInsyncReplicasEnforced: false);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _handle = LibrdkafkaMock.rd_kafka_new(0, LibrdkafkaMock.rd_kafka_conf_new(), IntPtr.Zero, 0);
        _cluster = _handle == IntPtr.Zero ? IntPtr.Zero : LibrdkafkaMock.rd_kafka_mock_cluster_new(_handle, _options.Brokers);
        if (_cluster == IntPtr.Zero)
        {
            throw new InvalidOperationException("librdkafka could not create a mock cluster.");
        }

        // Without a controller, admin and metadata requests hang; the default 3 s first-join delay slows every start.
        LibrdkafkaMock.rd_kafka_mock_set_controller_id(_cluster, 1);
        LibrdkafkaMock.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);
        foreach (var topic in Topics)
        {
            LibrdkafkaMock.rd_kafka_mock_topic_create(_cluster, topic.Name, topic.Partitions, _options.Brokers);
            // Leaders set, not left to the mock, so that a broker taken down hands over exactly the partitions it leads.
            _leaders[topic.Name] = [.. Enumerable.Range(0, topic.Partitions).Select(PreferredLeader)];
            for (var partition = 0; partition < topic.Partitions; partition++)
            {
                LibrdkafkaMock.rd_kafka_mock_partition_set_leader(_cluster, topic.Name, partition, PreferredLeader(partition));
            }
        }

        foreach (var group in ConsumerGroups)
        {
            LibrdkafkaMock.rd_kafka_mock_coordinator_set(_cluster, "group", group, 1);
        }

        // "127.0.0.1:port,…" in broker id order.
        var bootstraps = Marshal.PtrToStringUTF8(LibrdkafkaMock.rd_kafka_mock_cluster_bootstraps(_cluster))!;
        _mockPorts = [.. bootstraps.Split(',').Select(address => int.Parse(address.Split(':')[^1]))];
        _up = [.. _mockPorts.Select(_ => true)];

        _listener = new TcpListener(IPAddress.Loopback, _options.Port);
        _listener.Start(backlog: 512);
        _ = AcceptAsync(_listener, _stopping.Token);

        logger.LogInformation("In-memory dev broker (librdkafka mock cluster, not for production): {Brokers} brokers on 127.0.0.1:{Ports}, " +
            "bootstrap 127.0.0.1:{Port}; topics {Topics}, replication factor {Brokers}", _options.Brokers, string.Join(",", _mockPorts),
            _options.Port, string.Join(", ", Topics.Select(t => $"{t.Name} ({t.Partitions})")), _options.Brokers);
        return Task.CompletedTask;
    }

    /// <summary>The whole cluster down: every broker drops its connections and refuses new ones.</summary>
    public void SetDown()
    {
        for (var broker = 1; broker <= _options.Brokers; broker++)
        {
            SetBrokerUp(broker, false);
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        logger.LogWarning("Dev broker is DOWN: all {Brokers} brokers (simulated outage)", _options.Brokers);
    }

    public void SetUp()
    {
        for (var broker = 1; broker <= _options.Brokers; broker++)
        {
            SetBrokerUp(broker, true);
        }

        logger.LogInformation("Dev broker is UP");
    }

    /// <returns>False when there is no such broker, or it is the last one up (that is <see cref="SetDown"/>).</returns>
    public bool SetBrokerDown(int broker)
    {
        lock (_gate)
        {
            if (broker < 1 || broker > _options.Brokers || _up.Count(up => up) == 1 && _up[broker - 1])
            {
                return false;
            }

            SetBrokerUp(broker, false);
            var successor = Enumerable.Range(1, _options.Brokers).First(candidate => _up[candidate - 1]);
            MoveLeadership(from: broker, to: _ => successor);
            foreach (var group in ConsumerGroups)
            {
                LibrdkafkaMock.rd_kafka_mock_coordinator_set(_cluster, "group", group, successor);
            }

            LibrdkafkaMock.rd_kafka_mock_set_controller_id(_cluster, successor);
            logger.LogWarning("Dev broker {Broker} is DOWN; its partitions are led by broker {Successor}, which coordinates the groups and controls the cluster",
                broker, successor);
            return true;
        }
    }

    public bool SetBrokerUp(int broker)
    {
        lock (_gate)
        {
            if (broker < 1 || broker > _options.Brokers)
            {
                return false;
            }

            SetBrokerUp(broker, true);
            // The preferred-leader election a real cluster runs: the broker leads its own partitions again.
            for (var candidate = 1; candidate <= _options.Brokers; candidate++)
            {
                MoveLeadership(from: candidate, to: partition => _up[PreferredLeader(partition) - 1] ? PreferredLeader(partition) : candidate);
            }

            logger.LogInformation("Dev broker {Broker} is UP and leads its preferred partitions again", broker);
            return true;
        }
    }

    private void SetBrokerUp(int broker, bool up)
    {
        _ = up
            ? LibrdkafkaMock.rd_kafka_mock_broker_set_up(_cluster, broker)
            : LibrdkafkaMock.rd_kafka_mock_broker_set_down(_cluster, broker);
        lock (_gate)
        {
            _up[broker - 1] = up;
        }
    }

    private void MoveLeadership(int from, Func<int, int> to)
    {
        foreach (var (topic, leaders) in _leaders)
        {
            for (var partition = 0; partition < leaders.Length; partition++)
            {
                if (leaders[partition] == from && to(partition) is var leader && leader != from)
                {
                    LibrdkafkaMock.rd_kafka_mock_partition_set_leader(_cluster, topic, partition, leader);
                    leaders[partition] = leader;
                }
            }
        }
    }

    private int PreferredLeader(int partition) => partition % _options.Brokers + 1;

    /// <summary>
    /// Delays every answer of the broker by this much: requests are carried out at once, their answers come late. With
    /// more than a producer's message timeout, a message lands while its sender times out ("outcome unknown").
    /// </summary>
    public void SetLatency(int milliseconds)
    {
        for (var broker = 1; broker <= _options.Brokers; broker++)
        {
            LibrdkafkaMock.rd_kafka_mock_broker_set_rtt(_cluster, broker, milliseconds);
        }

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

            // Bootstrap only: any broker that is up answers the metadata request; none up, the connection is refused.
            int? target;
            lock (_gate)
            {
                target = _up.Select((up, index) => (up, index)).Where(broker => broker.up).Select(broker => (int?)_mockPorts[broker.index]).FirstOrDefault();
            }

            if (target is not { } port)
            {
                client.Dispose();
                continue;
            }

            _ = ForwardAsync(client, port, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, int mockPort, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        _connections[client] = 0;
        _connections[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, mockPort, cancellationToken);
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
