using System.Text.Json;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Repository;

/// <summary>
/// The tool manifest that ./run.sh and ./test.sh restore holds only what they need (docs/design.md §8): on a machine
/// that never restored them, every tool listed after the RID-specific aspire.cli failed `dotnet tool restore`. The CI
/// run with an empty home directory is the real check; this one says why at once, without a network.
/// </summary>
public sealed class ToolManifestTests
{
    [Fact]
    public void TheManifestHoldsTheAspireCliAlone()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryFiles.Root.FullName, ".config", "dotnet-tools.json")));
        var tools = manifest.RootElement.GetProperty("tools").EnumerateObject().Select(tool => tool.Name).ToList();

        Assert.Equal(["aspire.cli"], tools);
    }
}
