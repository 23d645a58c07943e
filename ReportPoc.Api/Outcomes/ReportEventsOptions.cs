using System.ComponentModel.DataAnnotations;

namespace ReportPoc.Api.Outcomes;

/// <summary>Configuration section <c>ReportEvents</c> (the AppHost passes its own ReportEvents:* through).</summary>
public sealed class ReportEventsOptions
{
    public const string Section = "ReportEvents";

    /// <summary>An idle stream sends a heartbeat this often, so proxies and the client see it is alive.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The SSE retry hint: how long a client waits before reconnecting after a dropped stream.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Open streams one client (remote address) may hold on this instance; past it, 429.</summary>
    [Range(1, 100_000)]
    public int MaxStreamsPerClient { get; set; } = 100;

    /// <summary>Open streams this instance holds at most; past it, 503 (another instance, or polling, serves the client).</summary>
    [Range(1, 1_000_000)]
    public int MaxStreamsPerInstance { get; set; } = 5_000;
}
