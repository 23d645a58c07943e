using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// A resource's processes as the dashboard's process commands (crash, freeze, thaw) reach them. Aspire starts projects
/// through <c>dotnet run</c>, so the service is a descendant of the process id the dashboard shows: a command acts on
/// the whole tree, so no process is left behind in another state.
/// </summary>
internal static class ProcessTree
{
    public const int StopSignal = 19;     // SIGSTOP on Linux: the process cannot catch or ignore it
    public const int ContinueSignal = 18; // SIGCONT

    /// <summary>The process id the dashboard shows for a resource (or one replica of it), while it has a process.</summary>
    public static int? RootOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), out var pid) ? pid : null;

    /// <summary>The root and every descendant, parents before children.</summary>
    public static List<int> Of(int rootPid)
    {
        var children = ParentsByPid().ToLookup(entry => entry.Value, entry => entry.Key);
        var tree = new List<int> { rootPid };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children[tree[i]]);
        }

        return tree;
    }

    /// <summary>Kills the tree with SIGKILL, deepest first, so nothing is orphaned. Returns how many processes were killed.</summary>
    public static int Kill(int rootPid)
    {
        var killed = 0;
        foreach (var pid in Enumerable.Reverse(Of(rootPid)))
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

    /// <summary>Sends <paramref name="signal"/> to every process of the tree; returns how many received it.</summary>
    public static int Signal(int rootPid, int signal) => Of(rootPid).Count(pid => kill(pid, signal) == 0);

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

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
