using System.Security.Cryptography;
using System.Text.Json;

namespace ReportPoc.Evidence.Provenance;

/// <summary>One input as the evidence run recorded it when its step had written it: which file, its hash, the source it was measured on.</summary>
public sealed record InputStamp(string Name, string Path, string Sha256, string Commit, bool Clean, DateTimeOffset StampedAt);

/// <summary>
/// One evidence run (scripts/evidence.sh): the commit it measures, started on a clean tree, and a stamp per input its
/// steps produced. Committed beside the report (docs/poc-report/inputs/run.json), so every figure traces to a file of
/// one run on one commit.
/// </summary>
public sealed record EvidenceRun(string Commit, DateTimeOffset StartedAt, string Machine, IReadOnlyList<InputStamp> Inputs)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ShortCommit => SourceTree.Short(Commit);

    public InputStamp? StampOf(string name) => Inputs.FirstOrDefault(stamp => stamp.Name == name);

    public EvidenceRun With(InputStamp stamp) => this with { Inputs = [.. Inputs.Where(input => input.Name != stamp.Name), stamp] };

    public static async Task<EvidenceRun?> ReadAsync(string path, CancellationToken cancellationToken) =>
        File.Exists(path) ? JsonSerializer.Deserialize<EvidenceRun>(await File.ReadAllTextAsync(path, cancellationToken), JsonOptions) : null;

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, JsonOptions), cancellationToken);
    }

    /// <summary>The hash a stamp holds of a file; null for anything but a file (a directory is never a stamped input).</summary>
    public static async Task<string?> HashAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }
}
