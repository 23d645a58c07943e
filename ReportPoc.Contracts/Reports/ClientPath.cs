using System.Text.Json.Serialization;

namespace ReportPoc.Contracts.Reports;

/// <summary>
/// Which path serves a client's submissions to the compatibility endpoint (POST /api/reports/compat): the as-is sync
/// path, the bridge (async path underneath, answered like the sync path within a limit), or the plain async path
/// (202 and the status URL). An operator sets it per client while the system runs; docs/design.md, "The bridge".
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClientPath>))]
public enum ClientPath
{
    [JsonStringEnumMemberName("sync")] Sync,
    [JsonStringEnumMemberName("bridge")] Bridge,
    [JsonStringEnumMemberName("async")] Async,
}

/// <summary>HTTP names of the compatibility endpoint.</summary>
public static class CompatibilityHeaders
{
    /// <summary>On every answer of the compatibility endpoint: the path that served the request (sync, bridge or async).</summary>
    public const string ServedBy = "Report-Served-By";
}
