using ReportPoc.Benchmark.Memory;

namespace ReportPoc.Benchmark.Processes;

/// <summary>One process of the measured system: a service (processor instances each on their own), PostgreSQL or the dashboard.</summary>
public sealed record SystemProcess(int Pid, string Name)
{
    public string Label => $"{Name} (pid {Pid})";
}

/// <summary>What /proc says about a process at one moment.</summary>
/// <param name="CpuSeconds">User + system CPU time since the process started.</param>
public sealed record ProcessReading(int Threads, int OpenFiles, double RssMb, double CpuSeconds);

/// <summary>
/// Finds every process of one running system on this machine: Aspire's DCP controller starts each resource, so the
/// system is everything below the controller that started the Api with the system's Kafka address (other systems on
/// the machine have their own controller). Linux only (/proc).
/// </summary>
public static class SystemProcesses
{
    private const string DcpController = "run-controllers";
    private static readonly string[] Services = ["ReportPoc.Api", "ReportPoc.Processor", "ReportPoc.LpMock", "ReportPoc.DevBroker", "Aspire.Dashboard"];

    /// <returns>The system's processes, or an empty list when its Api is not found on this machine.</returns>
    public static IReadOnlyList<SystemProcess> Find(string kafka)
    {
        var api = ServiceMemory.FindProcesses("ReportPoc.Api", kafka).FirstOrDefault();
        if (api == 0)
        {
            return [];
        }

        var parents = Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => int.Parse(name!))
            .Select(pid => (Pid: pid, Parent: ParentOf(pid)))
            .Where(process => process.Parent > 0)
            .ToDictionary(process => process.Pid, process => process.Parent);

        var root = api;
        while (parents.TryGetValue(root, out var parent) && !CommandLine(root).Contains(DcpController))
        {
            root = parent;
        }

        if (!CommandLine(root).Contains(DcpController))
        {
            // Not started by DCP (e.g. by hand): only the services that carry the system's Kafka address.
            return ServiceMemory.FindProcesses("ReportPoc.Api", kafka).Select(pid => new SystemProcess(pid, "ReportPoc.Api"))
                .Concat(ServiceMemory.FindProcesses("ReportPoc.Processor", kafka).Select(pid => new SystemProcess(pid, "ReportPoc.Processor")))
                .ToList();
        }

        return parents.Keys.Where(pid => IsBelow(pid, root, parents))
            .Select(pid => (Pid: pid, Name: NameOf(pid)))
            .Where(process => process.Name is not null)
            .Select(process => new SystemProcess(process.Pid, process.Name!))
            .OrderBy(process => process.Name, StringComparer.Ordinal).ThenBy(process => process.Pid)
            .ToList();
    }

    /// <returns>Null when the process has ended.</returns>
    public static ProcessReading? Read(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            var openFiles = Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
            return new ProcessReading((int)StatusField(status, "Threads:"), openFiles, StatusField(status, "VmRSS:") / 1024.0, CpuSeconds(pid));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU time from /proc/{pid}/stat (USER_HZ ticks, 100 a second on Linux).</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : (long.Parse(fields[14 - 3]) + long.Parse(fields[15 - 3])) / 100.0;
    }

    /// <summary>The machine's CPU pressure (share of the last 10 s in which some runnable task waited for a core), when the kernel reports it.</summary>
    public static double? CpuPressure()
    {
        try
        {
            var some = File.ReadLines("/proc/pressure/cpu").First(line => line.StartsWith("some", StringComparison.Ordinal));
            var avg10 = some.Split(' ').First(part => part.StartsWith("avg10=", StringComparison.Ordinal))["avg10=".Length..];
            return double.Parse(avg10, System.Globalization.CultureInfo.InvariantCulture) / 100;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsBelow(int pid, int root, Dictionary<int, int> parents)
    {
        for (var current = pid; parents.TryGetValue(current, out var parent); current = parent)
        {
            if (parent == root)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A service by its executable (not the `dotnet run` wrapper around it), or PostgreSQL's main process.</summary>
    private static string? NameOf(int pid)
    {
        var arguments = CommandLine(pid).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Length == 0)
        {
            return null;
        }

        var executable = Path.GetFileName(arguments[0]);
        if (executable == "postgres" && arguments.Contains("-D"))
        {
            return "postgres";
        }

        var service = executable == "dotnet" && arguments.Length > 1 && arguments[1].EndsWith(".dll", StringComparison.Ordinal)
            ? Path.GetFileNameWithoutExtension(arguments[1])
            : executable;
        return Services.Contains(service) ? service : null;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static int ParentOf(int pid) => StatFields(pid) is { } fields ? int.Parse(fields[4 - 3]) : 0;

    /// <summary>The fields of /proc/{pid}/stat after the parenthesised command name (field 3 onwards).</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A number field of /proc/{pid}/status ("VmRSS:", "Threads:"; kB for sizes), 0 when the kernel does not report it.</summary>
    public static double StatusField(string[] status, string name) =>
        status.FirstOrDefault(line => line.StartsWith(name, StringComparison.Ordinal)) is { } line
            ? double.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
}
