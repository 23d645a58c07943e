using System.Reflection;
using System.Runtime.InteropServices;

namespace ReportPoc.DevBroker.MockCluster;

/// <summary>
/// The few librdkafka functions that run its mock cluster (rdkafka_mock.h). Bound to the same native library
/// Confluent.Kafka ships and loads on this platform, so the mock speaks exactly the clients' protocol version.
/// </summary>
internal static partial class LibrdkafkaMock
{
    private const string Library = "librdkafka";

    static LibrdkafkaMock() => NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMock).Assembly, Resolve);

    [LibraryImport(Library)] public static partial IntPtr rd_kafka_conf_new();
    [LibraryImport(Library)] public static partial IntPtr rd_kafka_new(int type, IntPtr conf, IntPtr errstr, nuint errstrSize);
    [LibraryImport(Library)] public static partial void rd_kafka_destroy(IntPtr rk);
    [LibraryImport(Library)] public static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);
    [LibraryImport(Library)] public static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);
    [LibraryImport(Library)] public static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
    [LibraryImport(Library)] public static partial int rd_kafka_mock_set_controller_id(IntPtr cluster, int brokerId);
    [LibraryImport(Library)] public static partial int rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int rd_kafka_mock_partition_set_leader(IntPtr cluster, string topic, int partition, int brokerId);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] public static partial int rd_kafka_mock_coordinator_set(IntPtr cluster, string keyType, string key, int brokerId);
    [LibraryImport(Library)] public static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);
    [LibraryImport(Library)] public static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
    [LibraryImport(Library)] public static partial int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    /// <summary>Confluent.Kafka picks centos8-librdkafka.so on glibc Linux distributions such as Debian; do the same.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64") ? "linux-arm64" : "linux-x64", "native");
        foreach (var candidate in new[] { "centos8-librdkafka.so", "librdkafka.so" })
        {
            if (NativeLibrary.TryLoad(Path.Combine(native, candidate), out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
