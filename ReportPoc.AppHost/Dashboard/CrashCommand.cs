using System.Diagnostics;
using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// "Crash (kill -9)": a dashboard command that kills a resource (or one replica of it) the way a crash looks — no
/// graceful shutdown, nothing flushed or committed. Aspire does not restart it; its Start command does. The chaos
/// drill and the tests crash processors and PostgreSQL through this same command.
/// </summary>
public static class CrashCommand
{
    public const string Name = ResourceCommandNames.Crash;

    public static IResourceBuilder<T> WithCrashCommand<T>(this IResourceBuilder<T> resource) where T : IResource =>
        resource.WithCommand(Name, "Crash (kill -9)", context =>
        {
            var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
            if (!notifications.TryGetCurrentState(context.ResourceName, out var current) || ProcessIdOf(current.Snapshot) is not { } pid)
            {
                return Task.FromResult(CommandResults.Failure($"{context.ResourceName} has no process to kill right now."));
            }

            var killed = KillTree(pid);
            return Task.FromResult(CommandResults.Success($"Killed {context.ResourceName} (pid {pid}, {killed} process(es)) with SIGKILL."));
        }, new CommandOptions
        {
            IconName = "ErrorCircle",
            Description = "Kill the process with SIGKILL, as a crash would: no graceful shutdown. Start it again with Start.",
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });

    /// <summary>The process id the dashboard shows for a resource (or one replica of it), while it has a process.</summary>
    private static int? ProcessIdOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } value
        && int.TryParse(value.ToString(), out var pid) ? pid : null;

    /// <summary>
    /// Aspire starts projects through <c>dotnet run</c>, so the service is a descendant of the process id the dashboard
    /// shows: the whole tree goes, deepest first, so nothing is orphaned. Returns how many processes were killed.
    /// </summary>
    private static int KillTree(int rootPid)
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
