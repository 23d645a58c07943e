using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ReportPoc.ServiceDefaults.Kafka;

/// <summary>Healthy when the client's connection can fetch cluster metadata with at least one broker.</summary>
internal sealed class KafkaHealthCheck(Handle clientHandle, TimeSpan timeout) : IHealthCheck, IDisposable
{
    private readonly IAdminClient _admin = new DependentAdminClientBuilder(clientHandle).Build();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // GetMetadata blocks; run it off the request thread and bound it so a dead broker cannot stall /health.
        return Task.Run(() =>
        {
            try
            {
                var metadata = _admin.GetMetadata(timeout);
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

    public void Dispose() => _admin.Dispose();
}
