using System.Text.Json;
using System.Xml;
using ReportPoc.Evidence.Writing;

namespace ReportPoc.Evidence.Inputs;

/// <summary>One input of the report: what was read from <see cref="Path"/>, or why nothing was (so the report can say so).</summary>
public sealed record Input<T>(string Path, T? Value, Text? Problem) where T : class
{
    /// <summary>Reads <paramref name="path"/> (a file or a directory); a missing or unreadable one is kept as the reason.</summary>
    public static async Task<Input<T>> ReadAsync(string path, Func<string, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return new Input<T>(path, null, new Text("not found", "찾을 수 없음"));
        }

        try
        {
            return new Input<T>(path, await read(path, cancellationToken), null);
        }
        catch (Exception exception) when (exception is JsonException or XmlException or IOException or InvalidDataException or NotSupportedException)
        {
            return new Input<T>(path, null, new Text($"could not be read ({exception.Message})", $"읽을 수 없음 ({exception.Message})"));
        }
    }
}
