using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScottPlot;

namespace ReportPoc.Benchmark.Results;

/// <summary>
/// Writes one benchmark mode's results (soak, collateral, pickup, accept) into a folder of its own under the output
/// directory: results.json, results.md and its charts, so the modes never overwrite the comparison's files.
/// </summary>
public static class ModeOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>A mode's results.json, read back into its type (the evidence report reads them).</summary>
    public static async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken) where T : class =>
        JsonSerializer.Deserialize<T>(await File.ReadAllTextAsync(path, cancellationToken), JsonOptions)
        ?? throw new JsonException($"{path} holds no {typeof(T).Name}.");

    public static async Task<IReadOnlyList<string>> WriteAsync<T>(string directory, T results, string markdown, IEnumerable<(string FileName, Plot Chart)> charts)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "results.json");
        var md = Path.Combine(directory, "results.md");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(results, JsonOptions));
        await File.WriteAllTextAsync(md, markdown);
        var files = new List<string> { json, md };
        foreach (var (fileName, chart) in charts)
        {
            var path = Path.Combine(directory, fileName);
            chart.SavePng(path, 900, 520);
            files.Add(path);
        }

        return files;
    }

    public static string Ms(double value) =>
        double.IsNaN(value) ? "–" : value < 10 ? value.ToString("F2", CultureInfo.InvariantCulture) : value.ToString("F0", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "F1") => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double? ratio) => ratio is { } r && !double.IsNaN(r) ? r.ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    public static string Times(double? ratio) => ratio is { } r && !double.IsNaN(r) ? r.ToString("F2", CultureInfo.InvariantCulture) + "×" : "n/a";

    public static string Flag(bool disturbed) => disturbed ? "yes: test run or other system" : "none seen";

    public static string Pressure(double? pressure) => pressure is { } p ? p.ToString("P0", CultureInfo.InvariantCulture) : "n/a";
}
