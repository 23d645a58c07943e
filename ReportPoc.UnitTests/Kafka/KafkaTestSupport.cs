using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ReportPoc.UnitTests.Kafka;

/// <summary>A host builder with only the configuration a test gives it.</summary>
internal static class KafkaTestHost
{
    public static HostApplicationBuilder Builder(params (string Key, string? Value)[] configuration)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration.Select(setting => KeyValuePair.Create(setting.Key, setting.Value)));
        return builder;
    }
}

/// <summary>
/// librdkafka's in-process mock cluster (test.mock.num.brokers), owned by a plain producer; its address is what the
/// clients under test connect to. Topics are created on first use.
/// </summary>
internal sealed class MockCluster : IDisposable
{
    private readonly IProducer<Null, Null> _owner = new ProducerBuilder<Null, Null>(
        new ProducerConfig(new Dictionary<string, string> { ["test.mock.num.brokers"] = "1" })).Build();

    public MockCluster()
    {
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        var broker = admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
    }

    public string BootstrapServers { get; }

    public void Dispose() => _owner.Dispose();
}

/// <summary>The spans of the integration's ActivitySource, sampled and recorded, for as long as the recorder lives.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanRecorder(string sourceName = "ReportPoc.Confluent.Kafka")
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Spans about <paramref name="topic"/>: every test uses a topic of its own, so tests running at once do not mix.</summary>
    public IReadOnlyList<Activity> About(string topic) =>
        _spans.Where(span => span.GetTagItem("messaging.destination.name") as string == topic).ToList();

    public void Dispose() => _listener.Dispose();
}

/// <summary>Measurements from the meters one container's IMeterFactory created (so other tests' clients do not count).</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    public MeasurementRecorder(IServiceProvider services)
    {
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The values recorded so far by <paramref name="instrument"/>, after the observable instruments are read once more.</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Of(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(measurement => measurement.Instrument == instrument)
            .Select(measurement => (measurement.Value, measurement.Tags)).ToList();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measurements.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    public void Dispose() => _listener.Dispose();
}
