using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReportPoc.Chaos.Results;

/// <summary>
/// A <see cref="ChaosResult"/> as the chaos resource's properties (<c>chaos.accepted</c>, <c>chaos.lost</c>, …), one per
/// figure so the dashboard lists them, and read back as the typed result (what the tests do).
/// </summary>
public static class ChaosResultProperties
{
    public const string Prefix = "chaos.";

    public static IEnumerable<ResourcePropertySnapshot> From(ChaosResult result) =>
        JsonSerializer.SerializeToElement(result, JsonSerializerOptions.Web).EnumerateObject()
            .Select(figure => new ResourcePropertySnapshot(Prefix + figure.Name, ValueOf(figure.Value)));

    /// <summary>The last result the resource published, or null before the first run has finished.</summary>
    public static ChaosResult? ReadFrom(CustomResourceSnapshot snapshot)
    {
        var figures = new JsonObject();
        foreach (var property in snapshot.Properties.Where(property => property.Name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            figures[property.Name[Prefix.Length..]] = JsonSerializer.SerializeToNode(property.Value);
        }

        return figures.Count == 0 ? null : figures.Deserialize<ChaosResult>(JsonSerializerOptions.Web);
    }

    /// <summary>Numbers, flags and text as the dashboard shows them (times are text: "00:02:00").</summary>
    private static object? ValueOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => value.GetString(),
    };
}
