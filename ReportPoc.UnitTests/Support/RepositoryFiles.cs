namespace ReportPoc.UnitTests.Support;

/// <summary>The repository's own files, found from the test's output folder (build outputs and installed tools left out).</summary>
public static class RepositoryFiles
{
    private static readonly string[] NotOurs = ["bin", "obj", ".tools", "node_modules", "artifacts", ".git", "TestResults"];

    public static DirectoryInfo Root { get; } = FindRoot();

    public static IEnumerable<string> Enumerate(string pattern, params string[] underFolders) =>
        (underFolders.Length == 0 ? [Root.FullName] : underFolders.Select(folder => Path.Combine(Root.FullName, folder)))
            .SelectMany(folder => Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories))
            .Where(path => !Path.GetRelativePath(Root.FullName, path).Split(Path.DirectorySeparatorChar).Any(NotOurs.Contains));

    private static DirectoryInfo FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "ReportPoc.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException("The repository root was not found above the test's output.");
        }

        return directory;
    }
}
