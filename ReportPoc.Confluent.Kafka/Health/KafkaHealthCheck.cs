using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.Confluent.Kafka.Health;

/// <summary>
/// Healthy when the client's connection can fetch cluster metadata with at least one broker. The admin client is built
/// per check and shares the registered client's connection: a kept one polls its queue ten times a second for the
/// process's whole life, a noticeable share of an idle service's CPU, to answer a probe that comes every few seconds.
/// One instance per registration, resolved from the container and disposed with it, before the client whose connection
/// it borrows.
/// </summary>
internal sealed class KafkaHealthCheck(Handle clientHandle) : IHealthCheck, IDisposable
{
    /// <summary>GetMetadata blocks; bounded so that a dead broker cannot stall /health.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private bool _disposed;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(() =>
        {
            try
            {
                using var admin = new DependentAdminClientBuilder(clientHandle).Build();
                var metadata = admin.GetMetadata(Timeout);
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

    public void Dispose() => _disposed = true;
}
