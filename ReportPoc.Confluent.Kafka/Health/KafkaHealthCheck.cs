using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.Confluent.Kafka.Health;

/// <summary>
/// Healthy when the client's connection can fetch cluster metadata with at least one broker. One instance per
/// registration, resolved from the container: its admin client (which runs a thread of its own) is built once, shares
/// the registered client's connection, and is disposed with the container.
/// </summary>
internal sealed class KafkaHealthCheck(Handle clientHandle) : IHealthCheck, IDisposable
{
    /// <summary>GetMetadata blocks; bounded so that a dead broker cannot stall /health.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly IAdminClient _admin = new DependentAdminClientBuilder(clientHandle).Build();
    private bool _disposed;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(() =>
        {
            try
            {
                var metadata = _admin.GetMetadata(Timeout);
                return metadata.Brokers.Count > 0
                    ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)")
                    : HealthCheckResult.Unhealthy("No Kafka broker in the cluster metadata.");
            }
            catch (KafkaException exception)
            {
                return HealthCheckResult.Unhealthy("Kafka metadata request failed.", exception);
            }
        }, cancellationToken);
    }

    public void Dispose()
    {
        _disposed = true;
        _admin.Dispose();
    }
}
