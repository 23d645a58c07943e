using System.Diagnostics;

namespace ReportPoc.Evidence.Provenance;

/// <summary>The source a measurement ran on: git's HEAD, and whether the tree differed from it.</summary>
public sealed record SourceState(string Commit, bool Clean)
{
    public string ShortCommit => SourceTree.Short(Commit);
}

/// <summary>Reads <see cref="SourceState"/> from git in the current directory (scripts/evidence.sh runs from the root).</summary>
public static class SourceTree
{
    /// <summary>What an evidence run writes itself: changes there do not make the measured code differ from the commit.</summary>
    private static readonly string[] RunOutputs = ["docs/benchmarks/", "docs/poc-report", "artifacts/"];

    /// <summary>A commit as the report and the console name it: its first ten hex digits.</summary>
    public static string Short(string commit) => commit.Length > 10 ? commit[..10] : commit;

    public static async Task<SourceState> ReadAsync(CancellationToken cancellationToken)
    {
        var commit = (await GitAsync(cancellationToken, "rev-parse", "HEAD")).Trim();
        var status = await GitAsync(cancellationToken, "status", "--porcelain=v1", "--untracked-files=all");
        return new SourceState(commit, IsClean(status));
    }

    /// <summary>Clean when every changed or untracked path git lists is one of the run's own outputs.</summary>
    internal static bool IsClean(string porcelainStatus) => porcelainStatus
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Length > 3 ? line[3..].Trim('"') : line)
        .SelectMany(path => path.Split(" -> "))
        .All(path => RunOutputs.Any(output => path.StartsWith(output, StringComparison.Ordinal)));

    private static async Task<string> GitAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
        var output = git.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = git.StandardError.ReadToEndAsync(cancellationToken);
        await git.WaitForExitAsync(cancellationToken);
        return git.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {await error}");
    }
}
