using System.Diagnostics;

namespace ReportPoc.AppHost.Chaos;

/// <summary>
/// kill -9 for a resource, as a crash looks. Aspire starts projects through <c>dotnet run</c>, so the service is a
/// descendant of the process id the dashboard shows: the whole tree goes, deepest first, so nothing is orphaned.
/// The tests crash resources with it too.
/// </summary>
public static class ProcessCrash
{
    /// <summary>The process id the dashboard shows for a resource (or one replica of it), while it has a process.</summary>
    public static int? ProcessIdOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), out var pid) ? pid : null;

    /// <returns>How many processes were killed.</returns>
    public static int KillTree(int rootPid)
    {
        var children = ParentsByPid().ToLookup(entry => entry.Value, entry => entry.Key);
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children[tree[i]]);
        }

        var killed = 0;
        foreach (var pid in Enumerable.Reverse(tree))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(); // SIGKILL on Linux
                killed++;
            }
            catch (ArgumentException)
            {
                // Already gone: its parent's death took it.
            }
        }

        return killed;
    }

    /// <summary>pid → parent pid for every process, from /proc/[pid]/stat (the field after the command name in parentheses).</summary>
    private static Dictionary<int, int> ParentsByPid()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return parents;
    }
}
