namespace ReportPoc.Processor;

/// <summary>This processor instance, as every part of it names itself (the heartbeat row, a lost-message record).</summary>
public static class ThisInstance
{
    /// <summary>
    /// The replica's id as the dashboard shows it ("processor-abcd1234"): Aspire gives each replica its resource name as
    /// OTEL_SERVICE_NAME and the replica's suffix as OpenTelemetry's service.instance.id.
    /// </summary>
    public static string Id { get; } =
        Environment.GetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES")?.Split(',')
            .Select(attribute => attribute.Split('=', 2))
            .FirstOrDefault(pair => pair is ["service.instance.id", _])?[1] is { } suffix
        && Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { } service
            ? $"{service}-{suffix}"
            : $"{Environment.MachineName}-{Environment.ProcessId}";
}
