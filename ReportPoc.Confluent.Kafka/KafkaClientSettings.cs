using Confluent.Kafka;
using Microsoft.Extensions.Configuration;

namespace ReportPoc.Confluent.Kafka;

/// <summary>What the producer and consumer settings share, so one binder serves both.</summary>
internal interface IKafkaClientSettings
{
    string? ConnectionString { get; set; }

    ClientConfig Config { get; }

    bool DisableHealthChecks { get; }

    bool DisableMetrics { get; }

    bool DisableTracing { get; }

    /// <summary>Throws when the client cannot be built; called when it is first resolved, not at registration.</summary>
    void Validate();
}

internal static class KafkaClientSettings
{
    /// <summary>librdkafka emits its statistics (the source of the statistics metrics) this often unless configured.</summary>
    public const int DefaultStatisticsIntervalMs = 1_000;

    /// <summary>
    /// Binds the section, then its <paramref name="connectionName"/> subsection over it, then the connection string, then
    /// the caller's delegate; the connection string becomes the bootstrap servers.
    /// </summary>
    public static TSettings Bind<TSettings>(IConfiguration configuration, string sectionName, string connectionName, Action<TSettings>? configure)
        where TSettings : IKafkaClientSettings, new()
    {
        var settings = new TSettings();
        var section = configuration.GetSection(sectionName);
        foreach (var layer in new[] { section, section.GetSection(connectionName) })
        {
            layer.Bind(settings);
            BindConfig(layer.GetSection("Config"), settings.Config);
        }

        if (configuration.GetConnectionString(connectionName) is { } connectionString)
        {
            settings.ConnectionString = connectionString;
        }

        configure?.Invoke(settings);

        if (settings.ConnectionString is not null)
        {
            settings.Config.BootstrapServers = settings.ConnectionString;
        }

        if (!settings.DisableMetrics)
        {
            settings.Config.StatisticsIntervalMs ??= DefaultStatisticsIntervalMs;
        }

        return settings;
    }

    public static void RequireBootstrapServers(ClientConfig config)
    {
        if (string.IsNullOrEmpty(config.BootstrapServers))
        {
            throw new InvalidOperationException(
                "The Kafka client has no bootstrap servers: set ConnectionStrings:{connectionName} (the AppHost does) or Config.BootstrapServers.");
        }
    }

    /// <summary>
    /// Typed property names bind as in Aspire.Confluent.Kafka (<c>Config:LingerMs</c>); keys with a dot are librdkafka's
    /// own names (<c>Config:linger.ms</c>) and are passed through as they are.
    /// </summary>
    private static void BindConfig(IConfigurationSection section, ClientConfig config)
    {
        section.Bind(config);
        foreach (var setting in section.GetChildren())
        {
            if (setting.Key.Contains('.') && setting.Value is not null)
            {
                config.Set(setting.Key, setting.Value);
            }
        }
    }
}
