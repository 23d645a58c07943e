namespace ReportPoc.Benchmark.Hosting;

/// <summary>
/// How busy the whole machine's cores are, from /proc/stat: every process counts (Api, processors, broker, database,
/// LP stand-in and this tool), which is the point on a machine they all share. NaN where /proc/stat does not exist.
/// </summary>
public sealed class MachineCpu
{
    private (long Busy, long Total)? _last = Read();

    /// <summary>The busy share of all cores (0..1) since the previous call or the start.</summary>
    public double BusySinceLast()
    {
        var last = _last;
        var now = _last = Read();
        if (now is not { } current || last is not { } previous || current.Total == previous.Total)
        {
            return double.NaN;
        }

        return (double)(current.Busy - previous.Busy) / (current.Total - previous.Total);
    }

    /// <summary>The first line's jiffies: user nice system idle iowait irq softirq steal …; idle and iowait are not busy.</summary>
    private static (long Busy, long Total)? Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }
}
