using System.Text.RegularExpressions;
using ReportPoc.UnitTests.Support;

namespace ReportPoc.UnitTests.Repository;

/// <summary>The repository stands on its own: what its code and documents cite of the design is in docs/design.md.</summary>
public sealed partial class DesignDocumentTests
{
    private static readonly string[] CitingFiles = ["*.cs", "*.md", "*.sh", "*.js", "*.json", "*.csproj"];

    [Fact]
    public void EverySectionCitedFromTheRepositoryIsAHeadingOfTheDesignDocument()
    {
        var headings = Heading().Matches(File.ReadAllText(Path.Combine(RepositoryFiles.Root.FullName, "docs", "design.md")))
            .Select(match => match.Groups["section"].Value)
            .ToHashSet();

        var dangling = Files()
            .SelectMany(path => Citation().Matches(File.ReadAllText(path))
                .Select(match => (Path: Path.GetRelativePath(RepositoryFiles.Root.FullName, path), Section: match.Groups["section"].Value)))
            .Where(citation => !headings.Contains(citation.Section))
            .ToList();

        Assert.True(headings.Count > 0, "docs/design.md has no '§n' headings.");
        Assert.True(dangling.Count == 0, "Citations of sections docs/design.md does not have: " +
            string.Join(", ", dangling.Select(citation => $"{citation.Path} → §{citation.Section}")));
    }

    [Fact]
    public void NoFileCitesTheDesignDocumentThatLivesOutsideTheRepository()
    {
        var outside = Files()
            .Where(path => OutsideCitation().IsMatch(File.ReadAllText(path)))
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root.FullName, path))
            .ToList();

        Assert.True(outside.Count == 0, "These cite 'DESIGN §n' / 'DESIGN.md', which is not in the repository: " + string.Join(", ", outside));
    }

    private static IEnumerable<string> Files() => CitingFiles.SelectMany(pattern => RepositoryFiles.Enumerate(pattern))
        .Where(path => !path.EndsWith(nameof(DesignDocumentTests) + ".cs", StringComparison.Ordinal));

    [GeneratedRegex(@"^#{2,3} §(?<section>\d+(?:\.\d+)?) ", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"design\.md §(?<section>\d+(?:\.\d+)?)")]
    private static partial Regex Citation();

    [GeneratedRegex(@"\bDESIGN(?:\.md)? ?§")]
    private static partial Regex OutsideCitation();
}
