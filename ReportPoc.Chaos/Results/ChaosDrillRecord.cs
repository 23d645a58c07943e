using System.Text.Json;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.Chaos.Results;

/// <summary>
/// One finished drill as the file at <see cref="ChaosOptions.ResultPath"/> holds it, for tools that read results
/// rather than the dashboard (the evidence report): when it ended, the size it ran at, the LP profile it met and its
/// result. The size and the profile are part of it because the same figures mean different things at 150 reports with a
/// fast LP than at 1,000 with the default one. <paramref name="ApiDuringFaults"/> is how the Api answered the drill's
/// submissions in the calm wave and while each kind of fault was in effect (absent from records older than it).
/// </summary>
public sealed record ChaosDrillRecord(DateTimeOffset FinishedAt, ChaosOptions Drill, LpProfile LpProfile, int LpCapacity, ChaosResult Result,
    IReadOnlyList<ApiPhaseFigures> ApiDuringFaults)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, JsonOptions), cancellationToken);
    }

    public static async Task<ChaosDrillRecord> ReadAsync(string path, CancellationToken cancellationToken) =>
        JsonSerializer.Deserialize<ChaosDrillRecord>(await File.ReadAllTextAsync(path, cancellationToken), JsonOptions)
        ?? throw new JsonException($"{path} holds no chaos drill record.");
}
